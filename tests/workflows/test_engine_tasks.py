"""The runner's guards: only a READY human task, in its own lane, with plain data, can be completed."""

import json
import uuid
from datetime import date

import pytest

from tests.workflows.samples import APPROVE, DOCUMENTS_COMPLETE, Case, applicant
from webapp.domain.errors import TaskNotAvailable
from webapp.engine import ProcessEngine, SpecRef, StepFailed


def test_completing_a_task_that_is_already_done_raises_task_not_available(case: Case) -> None:
    case.start()
    intake = case.task("intake")
    case.complete("intake", applicant())

    with pytest.raises(TaskNotAvailable):
        case.engine.complete_task(case.spec, case.state, intake.id, applicant(), lane="commune_assistant")


def test_completing_a_task_that_is_not_yet_ready_raises_task_not_available(case: Case) -> None:
    case.start()
    stored = json.loads(case.state)
    future = [
        task_id for task_id, task in stored["tasks"].items() if task["task_spec"] == "evaluate_eligibility"
    ]

    for task_id in future:
        with pytest.raises(TaskNotAvailable):
            case.engine.complete_task(case.spec, case.state, task_id, {}, lane="district_ssdm_assistant")
    assert future, "the start state should predict the business rule task"


def test_completing_a_task_from_another_lane_raises_task_not_available(case: Case) -> None:
    case.start()
    intake = case.task("intake")

    with pytest.raises(TaskNotAvailable):
        case.engine.complete_task(
            case.spec, case.state, intake.id, applicant(), lane="district_ssdm_assistant"
        )
    assert case.task("intake") == intake


# The first is a well-formed id that no task has.
@pytest.mark.parametrize("task_id", [str(uuid.UUID(int=42)), "not-a-task-id", ""])
def test_completing_an_unknown_task_raises_task_not_available(case: Case, task_id: str) -> None:
    case.start()

    with pytest.raises(TaskNotAvailable):
        case.engine.complete_task(case.spec, case.state, task_id, {}, lane="commune_assistant")


@pytest.mark.parametrize("key", ["__builtins__", "_private", "len", "date_today", "not a name", "class"])
def test_data_keys_that_scripts_could_not_use_safely_are_refused(case: Case, key: str) -> None:
    case.start()
    intake = case.task("intake")

    with pytest.raises(ValueError, match="workflow variable"):
        case.engine.complete_task(case.spec, case.state, intake.id, {key: 1}, lane="commune_assistant")


def test_a_failing_automatic_step_raises_step_failed_naming_the_step(case: Case) -> None:
    case.start()
    case.complete("intake", applicant(programme="fp_elderly", age=None))
    task = case.task("check_documents")

    with pytest.raises(StepFailed) as failure:
        case.engine.complete_task(
            case.spec, case.state, task.id, DOCUMENTS_COMPLETE, lane="district_ssdm_assistant"
        )
    assert failure.value.spec_name == "evaluate_eligibility"
    assert case.task("check_documents") == task


def test_dates_in_task_data_survive_the_state_round_trip(case: Case) -> None:
    case.start()
    case.complete("intake", applicant())
    case.complete("check_documents", DOCUMENTS_COMPLETE)
    result = case.complete("confirm_social_affairs", {**APPROVE, "benefit_start": date(2025, 3, 1)})

    assert result.data["benefit_start"] == date(2025, 3, 1)
    result = case.complete(
        "announce_result", {"announced_on": date(2025, 3, 5), "announcement_place": "Pagoda"}
    )

    assert result.finished is True
    assert result.data["benefit_start"] == date(2025, 3, 1)
    assert result.data["announced_on"] == date(2025, 3, 5)


def test_the_same_state_restored_twice_offers_the_same_task(engine: ProcessEngine, ssdm: SpecRef) -> None:
    state = engine.start(ssdm, {}).state

    assert engine.ready_tasks(ssdm, state) == engine.ready_tasks(ssdm, state)
    assert len(engine.ready_tasks(ssdm, state)) == 1


def test_script_variables_do_not_leak_into_the_case_data(case: Case) -> None:
    case.start()
    case.complete("intake", applicant(programme="fp_elderly", age=30))
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)

    added = set(result.data) - set(applicant()) - set(DOCUMENTS_COMPLETE) - {"case_reference"}
    assert added == {"eligible", "eligibility_reason", "outcome", "outcome_reason"}
