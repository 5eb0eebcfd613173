"""A decision table evaluated on its own gives the same outputs as the business rule task of a case."""

from pathlib import Path

import pytest

from webapp.domain.errors import WorkflowInvalid
from webapp.engine import ProcessEngine, StepFailed

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
FILES = {"programme_eligibility.dmn": (WORKFLOWS / "programme_eligibility.dmn").read_text()}
FACTS = {
    "age": 30,
    "sex": "female",
    "equity_card": "poor_1",
    "disability": False,
    "pregnant": False,
    "living_with_hiv": False,
    "enrolled_in_school": False,
}


@pytest.fixture(scope="module")
def engine() -> ProcessEngine:
    return ProcessEngine()


def test_an_eligible_person_gets_the_rules_yes_and_reason(engine: ProcessEngine) -> None:
    outputs = engine.evaluate_decision(
        "programme_eligibility", {**FACTS, "programme": "fp_base"}, files=FILES
    )

    assert outputs == {"eligible": True, "eligibility_reason": "The applicant meets the programme's rules."}


def test_the_first_matching_rejection_gives_its_own_reason(engine: ProcessEngine) -> None:
    outputs = engine.evaluate_decision(
        "programme_eligibility", {**FACTS, "programme": "fp_elderly", "age": 59}, files=FILES
    )

    assert outputs == {"eligible": False, "eligibility_reason": "The applicant is younger than 60."}


def test_a_decision_missing_from_the_files_is_refused(engine: ProcessEngine) -> None:
    with pytest.raises(WorkflowInvalid):
        engine.evaluate_decision("another_decision", FACTS, files=FILES)


def test_a_fact_the_rules_need_but_were_not_given_fails_plainly(engine: ProcessEngine) -> None:
    with pytest.raises(StepFailed):
        engine.evaluate_decision("programme_eligibility", {"programme": "fp_elderly"}, files=FILES)
