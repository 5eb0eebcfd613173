"""Every path of the social security complaint: rounds of dispute resolution at NSSF, then the regulator."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import Case
from webapp.engine import ProcessEngine, SpecRef
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine

SATURDAY_9 = datetime(2026, 11, 28, 2, 0)  # Saturday 28 November 2026, 09:00 in Phnom Penh: NSSF is open
SETTLED = {"adr_method": "conciliation", "adr_outcome": "resolved", "decision": "upheld"}
ANOTHER = {"adr_method": "negotiation", "adr_outcome": "try_another", "decision": "", "decision_reason": ""}
FAILED = {"adr_method": "mediation", "adr_outcome": "unresolved", "decision": ""}
REGULATOR = {"decision": "upheld", "decision_reason": "The employer must declare the worker."}


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def timed() -> Iterator[tuple[ProcessEngine, SpecRef]]:
    engine = create_process_engine(CalendarBook(clock=FrozenClock(SATURDAY_9)))
    [process] = [p for p in engine.read_directory(WORKFLOWS) if p.process_id == "grievance_social_security"]
    yield engine, SpecRef(process.content_hash, process.spec_json)


def started(timed: tuple[ProcessEngine, SpecRef], **overrides: Any) -> Case:
    case = Case(*timed)
    data = {"case_reference": "GRV-1701-2026-00009", "category": "social_security", "appeal": False}
    case.start(data | {"escalated_by_breach": False} | overrides)
    return case


def ready(case: Case) -> list[tuple[str, str | None]]:
    assert case.result is not None
    return [(task.spec_name, task.lane) for task in case.result.ready_tasks]


def test_nssf_settles_it_by_conciliation_at_level_1(timed):
    case = started(timed)
    assert ready(case) == [("resolve_at_nssf", "nssf_grievance_officer")]
    result = case.complete("resolve_at_nssf", SETTLED)
    assert result.finished
    assert (result.data["decided_level"], result.data["adr_method"]) == (1, "conciliation")


def test_trying_another_method_opens_a_new_round_then_the_regulator_decides(timed):
    case = started(timed)
    case.complete("resolve_at_nssf", ANOTHER)
    assert ready(case) == [("resolve_at_nssf", "nssf_grievance_officer")]
    case.complete("resolve_at_nssf", FAILED)
    assert ready(case) == [("examine_at_ssr", "ssr_officer")]
    result = case.complete("examine_at_ssr", REGULATOR)
    assert result.finished and result.data["decided_level"] == 2


def test_two_hundred_rounds_keep_the_task_visible_and_the_state_small(timed):
    case = started(timed)
    for _ in range(200):
        case.complete("resolve_at_nssf", ANOTHER)
    assert ready(case) == [("resolve_at_nssf", "nssf_grievance_officer")]
    assert len(case.state) < 200_000
    assert case.complete("resolve_at_nssf", SETTLED).finished


def test_an_appeal_goes_straight_to_the_regulator(timed):
    case = started(timed, appeal=True)
    assert ready(case) == [("examine_at_ssr", "ssr_officer")]


def test_level_1_breach_counts_nssf_days_including_weekends_and_escalates(timed):
    case = started(timed)
    [timer] = case.result.timers
    # NSSF counters work seven days, 08:30-17:30: 15 working days from Saturday 09:00 end on Sunday
    # 13 December at 09:00 in Phnom Penh.
    assert timer.due_at == datetime(2026, 12, 13, 2, 0)
    case.complete("resolve_at_nssf", ANOTHER)  # a new round does not restart the level's clock
    assert [t.due_at for t in case.result.timers] == [timer.due_at]
    result = case.engine.fire_timers(case.spec, case.state, now=timer.due_at)
    case.result = result
    assert [t.spec_name for t in result.fired_timers] == ["level_1_overdue"]
    assert ready(case) == [("examine_at_ssr", "ssr_officer")]
    assert result.data["escalated_by_breach"] is True
