"""Workflow versions by content hash, the gazetteer import, and the schema that migrations build."""

import threading
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tests.factories import open_case
from webapp.domain import Base
from webapp.domain.areas import Area, GazetteerImport
from webapp.domain.errors import ConcurrentChange
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import ProcessEngine
from webapp.services.casework.versions import latest_version
from webapp.services.processes.deployment import deploy_directory, store_version

ROOT = Path(__file__).resolve().parent.parent.parent


def _changed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "workflows"
    target.mkdir()
    for source in (ROOT / "workflows").glob("*.dmn"):
        (target / source.name).write_bytes(source.read_bytes())
    bpmn = (ROOT / "workflows" / "ssdm_programme_application.bpmn").read_text(encoding="utf-8")
    changed = bpmn.replace('name="Check the documents"', 'name="Check the documents carefully"')
    assert changed != bpmn
    (target / "ssdm_programme_application.bpmn").write_text(changed, encoding="utf-8")
    return target


def test_deploying_the_same_files_again_keeps_the_version(session, process_engine):
    before = latest_version(session, "ssdm_programme_application")
    (again,) = [
        v
        for v in deploy_directory(session, engine=process_engine, directory=ROOT / "workflows")
        if v.process_id == "ssdm_programme_application"
    ]
    assert again.id == before.id and again.version == before.version


def test_a_changed_file_becomes_a_new_version_and_running_cases_keep_theirs(
    session, process_engine, tmp_path
):
    running = open_case(session, process_engine)
    old = running.workflow_version
    (new,) = [
        v
        for v in deploy_directory(session, engine=process_engine, directory=_changed_copy(tmp_path))
        if v.process_id == "ssdm_programme_application"
    ]
    assert new.version == old.version + 1 and new.content_hash != old.content_hash
    assert running.workflow_version_id == old.id
    newer_case = open_case(session, process_engine)
    assert newer_case.workflow_version_id == new.id
    assert (
        session.scalar(
            select(func.count())
            .select_from(WorkflowVersion)
            .where(WorkflowVersion.process_id == "ssdm_programme_application")
        )
        == new.version
    )


def test_gazetteer_is_imported_with_its_source_and_version(session):
    record = session.scalar(select(GazetteerImport))
    assert record is not None and "pumi" in record.source and record.version
    angkor_chum = session.get(Area, "1701")
    assert (angkor_chum.name_km, angkor_chum.name_latin, angkor_chum.unit_km) == (
        "អង្គរជុំ",
        "Angkor Chum",
        "ស្រុក",
    )
    villages = session.scalar(select(func.count()).select_from(Area).where(Area.parent_code == "170101"))
    assert villages == 20


def test_migrations_build_exactly_the_schema_of_the_models(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, Base.metadata) == []


def _variant(tmp_path: Path, label: str):
    """A deployed copy of the application process whose check step is renamed to `label`."""
    target = tmp_path / label.replace(" ", "_")
    target.mkdir()
    for source in (ROOT / "workflows").glob("*.dmn"):
        (target / source.name).write_bytes(source.read_bytes())
    bpmn = (ROOT / "workflows" / "ssdm_programme_application.bpmn").read_text(encoding="utf-8")
    (target / "ssdm_programme_application.bpmn").write_text(
        bpmn.replace('name="Check the documents"', f'name="{label}"'), encoding="utf-8"
    )
    (deployed,) = [
        d for d in ProcessEngine().read_directory(target) if d.process_id == "ssdm_programme_application"
    ]
    return deployed


def test_two_versions_stored_at_the_same_moment_one_is_refused_cleanly(db_engine, tmp_path):
    """B reads the last version number while A's new version is not yet committed; B is refused, not a 500."""
    first, second = (
        _variant(tmp_path, "Check the documents first"),
        _variant(tmp_path, "Check the documents second"),
    )
    outcomes: list[str] = []

    def publish_second() -> None:
        with Session(db_engine) as session:
            try:
                store_version(session, deployed=second, actor=None)
                session.commit()
                outcomes.append("stored")
            except ConcurrentChange:
                session.rollback()
                outcomes.append("refused")

    try:
        with Session(db_engine) as session:
            store_version(session, deployed=first, actor=None)
            racer = threading.Thread(target=publish_second)
            racer.start()
            time.sleep(0.5)  # the second publisher now waits on the first one's uncommitted row
            session.commit()
        racer.join(60)
        assert outcomes == ["refused"]
    finally:
        with Session(db_engine) as session, session.begin():
            hashes = [first.content_hash, second.content_hash]
            session.execute(delete(WorkflowVersion).where(WorkflowVersion.content_hash.in_(hashes)))
