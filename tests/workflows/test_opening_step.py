"""Starting a case and completing its first task in one engine run gives the case two runs would give."""

import pytest

from tests.workflows.samples import Case, applicant
from webapp.domain.errors import TaskNotAvailable
from webapp.engine import ProcessEngine, SpecRef

START = {"case_reference": "SR-0001"}


def test_one_run_leaves_the_case_as_a_start_then_the_intake_would(
    engine: ProcessEngine, ssdm: SpecRef, case: Case
) -> None:
    case.start(START)
    two_runs = case.complete("intake", applicant())
    opening = engine.start_and_complete(ssdm, START, applicant(), lane="commune_assistant")

    assert (opening.first.spec_name, opening.first.lane) == ("intake", "commune_assistant")
    assert opening.started_data["case_reference"] == "SR-0001"
    result = opening.result
    assert [task.spec_name for task in result.ready_tasks] == ["check_documents"]
    assert engine.ready_tasks(ssdm, result.state) == result.ready_tasks
    assert dict(result.data) == dict(two_runs.data)
    assert result.automatic_steps == two_runs.automatic_steps
    assert [timer.spec_name for timer in result.timers] == [timer.spec_name for timer in two_runs.timers]


def test_the_first_task_must_be_in_the_openers_lane(engine: ProcessEngine, ssdm: SpecRef) -> None:
    with pytest.raises(TaskNotAvailable):
        engine.start_and_complete(ssdm, START, applicant(), lane="district_ssdm_assistant")
