"""Every path of the SSDM grievance: level 1 at village, commune or district, committees, appeal, breach."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import Case
from webapp.engine import ProcessEngine, SpecRef
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine

MONDAY_9 = datetime(2026, 11, 30, 2, 0)  # Monday 30 November 2026, 09:00 in Phnom Penh, as naive UTC
RESOLVE = {"level1_action": "resolve", "decision": "upheld", "decision_reason": "The payment was made."}
SEND_UP = {"level1_action": "send_up", "decision": "", "decision_reason": "Needs the committee."}
COMMITTEE = {"decision": "partly_upheld", "decision_reason": "Half of the arrears are due."}


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_9)


@pytest.fixture
def timed(clock: FrozenClock) -> Iterator[tuple[ProcessEngine, SpecRef]]:
    engine = create_process_engine(CalendarBook(clock=clock))
    [process] = [p for p in engine.read_directory(WORKFLOWS) if p.process_id == "grievance_ssdm"]
    yield engine, SpecRef(process.content_hash, process.spec_json)


def grievance(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_reference": "GRV-1701-2026-00001",
        "category": "unsuccessful_application",
        "level1_at": "commune",
        "recorded_by_vdc": False,
        "appeal": False,
        "escalated_by_breach": False,
    }
    return data | overrides


def started(timed: tuple[ProcessEngine, SpecRef], **overrides: Any) -> Case:
    case = Case(*timed)
    case.start(grievance(**overrides))
    return case


def ready(case: Case) -> list[str]:
    assert case.result is not None
    return [task.spec_name for task in case.result.ready_tasks]


def test_the_commune_resolves_it_at_level_1(timed):
    case = started(timed)
    assert [(t.spec_name, t.lane, t.form_key) for t in case.result.ready_tasks] == [
        ("answer_commune", "commune_assistant", "grievance_level1_answer")
    ]
    result = case.complete("answer_commune", RESOLVE)
    assert result.finished
    assert (result.data["outcome"], result.data["decided_level"]) == ("decided", 1)


def test_the_vdc_solves_it_in_the_village_and_then_informs_the_person(timed):
    case = started(timed, level1_at="village", recorded_by_vdc=True)
    assert ready(case) == ["answer_village"]
    case.complete("answer_village", RESOLVE)
    assert ready(case) == ["inform_complainant"]
    result = case.complete("inform_complainant", {"informed_on": "2026-12-01", "note": ""})
    assert result.finished and result.data["decided_level"] == 1


def test_the_commune_cannot_resolve_it_and_the_cwcc_decides_then_the_vdc_informs(timed):
    case = started(timed, level1_at="village", recorded_by_vdc=True)
    case.complete("answer_village", {"level1_action": "send_to_commune", "decision": ""})
    assert ready(case) == ["answer_commune"]
    case.complete("answer_commune", SEND_UP)
    assert [(t.spec_name, t.lane) for t in case.result.ready_tasks] == [("decide_cwcc", "cwcc_secretary")]
    case.complete("decide_cwcc", COMMITTEE)
    assert ready(case) == ["inform_complainant"]
    result = case.complete("inform_complainant", {"informed_on": "2026-12-01", "note": ""})
    assert result.finished
    assert (result.data["outcome"], result.data["decided_level"], result.data["decision"]) == (
        "decided",
        2,
        "partly_upheld",
    )


def test_a_service_quality_grievance_goes_to_the_tcc(timed):
    case = started(timed, category="service_quality", level1_at="district")
    assert ready(case) == ["answer_district"]
    case.complete("answer_district", SEND_UP)
    assert [(t.spec_name, t.lane) for t in case.result.ready_tasks] == [("decide_tcc", "tcc_secretary")]
    assert case.complete("decide_tcc", COMMITTEE).finished


def test_a_complex_district_case_goes_to_the_provincial_committees(timed):
    case = started(timed, level1_at="district")
    case.complete("answer_district", {**SEND_UP, "level1_action": "to_province"})
    assert [(t.spec_name, t.lane) for t in case.result.ready_tasks] == [
        ("decide_province", "province_esa_officer")
    ]
    result = case.complete("decide_province", COMMITTEE)
    assert result.finished and result.data["decided_level"] == 2


def test_resubmitting_the_application_ends_the_grievance_as_resubmitted(timed):
    case = started(timed)
    result = case.complete("answer_commune", {**RESOLVE, "level1_action": "resubmit"})
    assert result.finished and result.data["outcome"] == "resubmitted"


def test_an_appeal_of_a_level_1_answer_goes_straight_to_the_committee(timed):
    original = started(timed)
    assert original.complete("answer_commune", RESOLVE).finished
    appeal = started(timed, appeal=True, case_reference="GRV-1701-2026-00002")
    assert ready(appeal) == ["decide_cwcc"]
    result = appeal.complete("decide_cwcc", {"decision": "rejected", "decision_reason": "The rules held."})
    assert result.finished and result.data["decided_level"] == 2


def test_level_1_waits_fifteen_government_working_days_then_escalates_by_breach(timed, clock):
    case = started(timed)
    [timer] = case.result.timers
    # 15 working days from Monday 30 November 09:00: three weeks of weekdays, less no holiday in between,
    # lands on Monday 21 December 09:00 in Phnom Penh.
    assert timer.due_at == datetime(2026, 12, 21, 2, 0)
    early = case.engine.fire_timers(case.spec, case.state, now=timer.due_at - timedelta(minutes=1))
    assert early.fired_timers == ()
    clock.now = timer.due_at
    result = case.engine.fire_timers(case.spec, case.state, now=timer.due_at)
    case.result = result
    assert [t.spec_name for t in result.fired_timers] == ["level_1_overdue"]
    assert ready(case) == ["decide_cwcc"]
    assert result.data["escalated_by_breach"] is True
    assert case.complete("decide_cwcc", COMMITTEE).finished


def test_answering_in_time_cancels_the_breach_timer(timed):
    case = started(timed)
    result = case.complete("answer_commune", RESOLVE)
    assert result.timers == ()
