"""Fixtures for driving the BPMN of workflows/ on the real engine, with no database."""

from pathlib import Path

import pytest

from tests.workflows.samples import Case
from webapp.engine import DeployedProcess, ProcessEngine, SpecRef
from webapp.services.deadlines.calendars import create_process_engine

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


@pytest.fixture(scope="session")
def engine() -> ProcessEngine:
    return create_process_engine()


@pytest.fixture(scope="session")
def deployed(engine: ProcessEngine) -> dict[str, DeployedProcess]:
    return {process.process_id: process for process in engine.read_directory(WORKFLOWS)}


@pytest.fixture(scope="session")
def ssdm(deployed: dict[str, DeployedProcess]) -> SpecRef:
    process = deployed["ssdm_programme_application"]
    return SpecRef(content_hash=process.content_hash, spec_json=process.spec_json)


@pytest.fixture
def case(engine: ProcessEngine, ssdm: SpecRef) -> Case:
    return Case(engine, ssdm)
