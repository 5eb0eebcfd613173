"""The application's deadline timers on a frozen clock: reminder, then escalation, by working time."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.workflows.samples import APPROVE, DOCUMENTS_COMPLETE, Case, applicant, sample_bpmn
from webapp.domain.errors import WorkflowInvalid
from webapp.engine import ProcessEngine, SpecRef, StepResult
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine
from webapp.sla import build_calendar
from webapp.sla.calendar import GOVERNMENT_WEEK

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
MONDAY_9 = datetime(2026, 11, 30, 2, 0)  # Monday 30 November 2026, 09:00 in Phnom Penh, as naive UTC


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def local(*parts: int) -> datetime:
    return datetime(*parts) - timedelta(hours=7)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_9)


@pytest.fixture
def timed(clock: FrozenClock) -> Iterator[tuple[ProcessEngine, SpecRef]]:
    engine = create_process_engine(CalendarBook(clock=clock))
    [process] = [p for p in engine.read_directory(WORKFLOWS) if p.process_id == "ssdm_programme_application"]
    yield engine, SpecRef(process.content_hash, process.spec_json)


def fire(case: Case, at: datetime) -> StepResult:
    result = case.engine.fire_timers(case.spec, case.state, now=at)
    case.result = result
    return result


def fired(result: StepResult) -> list[tuple[str, str]]:
    return [(timer.spec_name, timer.name) for timer in result.fired_timers]


def at_document_check(timed: tuple[ProcessEngine, SpecRef]) -> Case:
    case = Case(*timed)
    case.start()
    case.complete("intake", applicant())
    return case


def test_the_document_check_waits_for_its_reminder_and_its_escalation_in_working_time(
    timed: tuple[ProcessEngine, SpecRef],
) -> None:
    case = at_document_check(timed)
    timers = {timer.spec_name: timer.due_at for timer in case.result.timers}  # type: ignore[union-attr]

    assert timers == {
        "check_documents_reminder": local(2026, 12, 4, 9, 0),  # 4 working days: Friday
        "check_documents_overdue": local(2026, 12, 7, 9, 0),  # 5 working days: Monday, after the weekend
    }


def test_the_reminder_fires_at_four_working_days_once_and_leaves_the_check_open(
    timed: tuple[ProcessEngine, SpecRef],
) -> None:
    case = at_document_check(timed)

    assert fired(fire(case, local(2026, 12, 4, 8, 59))) == []
    reminded = fire(case, local(2026, 12, 4, 9, 0))
    assert fired(reminded) == [("check_documents_reminder", "4 working days")]
    assert reminded.automatic_steps == ("remind_document_check",)
    assert [t.spec_name for t in reminded.ready_tasks] == ["check_documents"]
    assert fired(fire(case, local(2026, 12, 6, 23, 0))) == []  # the weekend: nothing more


def test_at_five_working_days_the_district_supervisor_is_asked_to_act_then_the_check_returns(
    timed: tuple[ProcessEngine, SpecRef], clock: FrozenClock
) -> None:
    case = at_document_check(timed)
    fire(case, local(2026, 12, 4, 9, 0))

    escalated = fire(case, local(2026, 12, 7, 9, 0))

    assert fired(escalated) == [("check_documents_overdue", "5 working days")]
    [task] = escalated.ready_tasks
    assert (task.spec_name, task.lane, task.form_key) == (
        "escalate_document_check",
        "district_supervisor",
        "supervisor_escalation",
    )
    clock.now = local(2026, 12, 7, 10, 0)
    back = case.complete("escalate_document_check", {"escalation_action": "reminded", "escalation_note": ""})
    assert [t.spec_name for t in back.ready_tasks] == ["check_documents"]
    assert {t.spec_name: t.due_at for t in back.timers}["check_documents_overdue"] == local(
        2026, 12, 14, 10, 0
    )


def test_the_back_office_is_reminded_at_eight_working_days_and_escalated_at_ten(
    timed: tuple[ProcessEngine, SpecRef], clock: FrozenClock
) -> None:
    case = at_document_check(timed)
    case.complete("check_documents", DOCUMENTS_COMPLETE)
    timers = {timer.spec_name: timer.due_at for timer in case.result.timers}  # type: ignore[union-attr]
    assert timers == {
        "confirm_social_affairs_reminder": local(2026, 12, 10, 9, 0),
        "confirm_social_affairs_overdue": local(2026, 12, 14, 9, 0),
    }

    assert fire(case, local(2026, 12, 10, 9, 0)).automatic_steps == ("remind_back_office",)
    escalated = fire(case, local(2026, 12, 14, 9, 0))
    assert [t.spec_name for t in escalated.ready_tasks] == ["escalate_back_office_decision"]

    back = case.complete(
        "escalate_back_office_decision",
        {"escalation_action": "resourced", "escalation_note": "Two more staff"},
    )
    assert [t.spec_name for t in back.ready_tasks] == ["confirm_social_affairs"]
    done = case.complete("confirm_social_affairs", APPROVE)
    assert [t.spec_name for t in done.ready_tasks] == ["announce_result"]
    assert done.timers == ()


def test_completing_the_step_in_time_cancels_its_timers(timed: tuple[ProcessEngine, SpecRef]) -> None:
    case = at_document_check(timed)
    result = case.complete("check_documents", DOCUMENTS_COMPLETE)

    assert {t.spec_name for t in result.timers} == {
        "confirm_social_affairs_reminder",
        "confirm_social_affairs_overdue",
    }


TIMER_BPMN = (
    sample_bpmn()
    .decode()
    .replace(
        '<bpmn:endEvent id="end">',
        '<bpmn:boundaryEvent id="late" attachedToRef="ask"><bpmn:outgoing>late_to_end</bpmn:outgoing>'
        '<bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">{timer}</bpmn:timeDate>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        '<bpmn:sequenceFlow id="late_to_end" sourceRef="late" targetRef="end" />'
        '<bpmn:endEvent id="end"><bpmn:incoming>late_to_end</bpmn:incoming>',
    )
)


@pytest.mark.parametrize(
    ("timer", "problem"),
    [
        ('working_deadline("P5D", calendar="district")', "There is no calendar named district"),
        ('working_deadline("P5X")', "is not a working duration"),
    ],
)
def test_an_unknown_calendar_or_a_bad_duration_is_refused_at_deploy(
    timed: tuple[ProcessEngine, SpecRef], timer: str, problem: str
) -> None:
    engine, _ = timed
    with pytest.raises(WorkflowInvalid) as refused:
        engine.deploy("sample", {"sample.bpmn": TIMER_BPMN.replace("{timer}", timer).encode()})
    assert problem in str(refused.value)
    assert "'late'" in str(refused.value)


def test_a_day_off_decreed_later_moves_the_waiting_deadlines_when_the_timers_replay(
    clock: FrozenClock,
) -> None:
    book = CalendarBook(clock=clock)
    engine = create_process_engine(book)
    [process] = [p for p in engine.read_directory(WORKFLOWS) if p.process_id == "ssdm_programme_application"]
    case = at_document_check((engine, SpecRef(process.content_hash, process.spec_json)))
    clock.now = local(2026, 12, 3, 11, 0)  # days later: replaying must count from the step's start
    book.replace(
        {
            "government": build_calendar(
                "government", GOVERNMENT_WEEK, days_off={date(2026, 12, 2): "Day off by sub-decree"}
            )
        }
    )

    replayed = engine.replay_timers(case.spec, case.state, started_at={"check_documents": MONDAY_9})

    assert {t.spec_name: t.due_at for t in replayed.timers} == {
        "check_documents_reminder": local(2026, 12, 7, 9, 0),
        "check_documents_overdue": local(2026, 12, 8, 9, 0),
    }
