"""The worker's SLA sweeps: fire due BPMN timers, and raise at-risk reminders, only within working hours;
tell the deadline listeners (notifications) of each reminder and, at once, of each passed deadline.

Both take their rows with FOR UPDATE SKIP LOCKED (PostgreSQL) and claim each with a conditional update (SQLite
has no row locks), so several workers side by side never fire a timer or send a reminder twice.

Lock order: both sweeps lock a case row first (cases by id ascending, skipping a case another worker holds),
and only then update its timers and tasks, as the pages do (a request changes the case, then its tasks).
A sweep that held task rows while waiting for a case (an event row's foreign key waits for the case's
lock) could otherwise deadlock against one that held the case while updating those tasks.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.sla import DEFAULT_CALENDAR, FIRED, WAITING, WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.events import record_event
from webapp.services.casework.task_mirror import sync_tasks, sync_timers
from webapp.services.casework.versions import spec_ref
from webapp.services.deadlines.calendars import (
    CalendarBook,
    calendar_name_for,
    create_process_engine,
    load_calendars,
)
from webapp.services.platform.jobs import WorkerContext
from webapp.sla import WorkingCalendar
from webapp.sla.working_time import is_working_moment

BATCH = 100
REPLAY_JOB = "replay_deadline_timers"
REMINDER_STEPS = "remind_"  # BPMN script tasks whose id starts so stand for a reminder on the case
# Task.reminders_sent: 1 once the at-risk reminder went out, 2 once the passed deadline was told.
AT_RISK_TOLD, OVERDUE_TOLD = 1, 2
# Who hears of a deadline near (False) or passed (True), in the sweep's transaction; notifications listen.
DeadlineListener = Callable[[Session, Task, bool], None]
_DEADLINE_LISTENERS: list[DeadlineListener] = []


def listen_to_deadlines(listener: DeadlineListener) -> None:
    if listener not in _DEADLINE_LISTENERS:
        _DEADLINE_LISTENERS.append(listener)


def _tell_listeners(session: Session, task_id: int, overdue: bool) -> None:
    task = session.get(Task, task_id) if _DEADLINE_LISTENERS else None
    if task is None:
        return
    for listener in _DEADLINE_LISTENERS:
        listener(session, task, overdue)


def fire_due_timers(session: Session, now: datetime, context: WorkerContext) -> int:
    """Fires the timers due at `now` on cases whose office is at work; returns how many cases moved."""
    calendars = load_calendars(session)
    engine = _engine(context, calendars, now)
    case_ids = session.scalars(
        select(WorkflowTimer.case_id)
        .where(WorkflowTimer.status == WAITING, WorkflowTimer.due_at <= now)
        .distinct()
        .order_by(WorkflowTimer.case_id)
        .limit(BATCH)
    ).all()
    moved, office_calendars = 0, dict[str, str]()
    for case_id in case_ids:
        case = _lock_case(session, case_id)
        if case is None or not _at_work(session, case, calendars, office_calendars, now):
            continue
        if _claim_due_timer(session, case_id, context.worker_id, now):
            fire_case_timers(session, engine=engine, case=case, now=now)
            moved += 1
    return moved


def fire_case_timers(
    session: Session, *, engine: ProcessEngine, case: Case, now: datetime
) -> tuple[str, ...]:
    """Runs the case's due timers in the engine and mirrors what follows: reminders, escalation tasks."""
    result = engine.fire_timers(spec_ref(case.workflow_version), case.state, now=now)
    case.state = result.state
    for timer in result.fired_timers:
        after = {"deadline": timer.name or timer.spec_name}
        record_event(session, case=case, kind="timer_fired", actor=None, after=after)
    for step in result.automatic_steps:
        if step.startswith(REMINDER_STEPS):
            record_event(session, case=case, kind="sla_reminder", actor=None)
    fired = tuple(timer.id for timer in result.fired_timers)
    sync_timers(session, case=case, timers=result.timers, fired=fired)
    sync_tasks(session, case=case, ready=result.ready_tasks, actor=None)
    session.flush()  # what the family did with the step (an escalation, its letter) is written too
    return tuple(timer.spec_name for timer in result.fired_timers)


def remind_at_risk(session: Session, now: datetime, context: WorkerContext) -> int:
    """One reminder per open task past its at-risk moment, raised only while its calendar is at work."""
    calendars = load_calendars(session)
    rows = session.execute(
        _open_tasks_in_case_order(
            (Task.id, Task.case_id, Task.name, Task.sla_calendar),
            (Task.at_risk_at <= now, Task.reminders_sent == 0),
        )
    ).all()
    sent, locked = 0, dict[int, Case | None]()
    for task_id, case_id, name, calendar_name in rows:
        calendar = calendars.get(calendar_name or DEFAULT_CALENDAR)
        if calendar is None or not is_working_moment(calendar, now):
            continue
        if case_id not in locked:  # the case first, as everywhere: see the module's note on lock order
            locked[case_id] = _lock_case(session, case_id)
        case = locked[case_id]
        if case is None:
            continue
        claimed = session.execute(
            update(Task)
            .where(Task.id == task_id, Task.reminders_sent == 0)
            .values(reminders_sent=1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            record_event(session, case=case, kind="sla_reminder", actor=None, task_name=name)
            _tell_listeners(session, task_id, overdue=False)
            sent += 1
    return sent


def remind_overdue(session: Session, now: datetime, context: WorkerContext) -> int:
    """Once per open task past its deadline, its listeners hear of it at once: passed is urgent, so this
    sweep does not wait for working hours."""
    rows = session.execute(
        _open_tasks_in_case_order(
            (Task.id, Task.case_id), (Task.due_at <= now, Task.reminders_sent < OVERDUE_TOLD)
        )
    ).all()
    told, locked = 0, dict[int, Case | None]()
    for task_id, case_id in rows:
        if case_id not in locked:  # the case first, as everywhere: see the module's note on lock order
            locked[case_id] = _lock_case(session, case_id)
        if locked[case_id] is None:
            continue
        claimed = session.execute(
            update(Task)
            .where(Task.id == task_id, Task.reminders_sent < OVERDUE_TOLD)
            .values(reminders_sent=OVERDUE_TOLD)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            _tell_listeners(session, task_id, overdue=True)
            told += 1
    return told


def _open_tasks_in_case_order(
    columns: tuple[Any, ...], conditions: tuple[ColumnElement[bool], ...]
) -> Select[Any]:
    """A batch of open tasks meeting `conditions`, in case order (the lock order). The open tasks are found
    first, through the partial indexes of open tasks, and then sorted: asked in one statement, PostgreSQL
    walks the index of every task ever made in case order and filters it (430 ms a sweep with 160,000 task
    rows, each worker sweeping every second or so, while there was nothing to remind)."""
    found = (
        select(*columns)
        .where(Task.status == OPEN, *conditions)
        .cte("due_tasks")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return select(*found.c).order_by(found.c.case_id, found.c.id).limit(BATCH)


def replay_timers(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """Job run after a calendar change: each waiting deadline timer is computed again from its start."""
    engine = _engine(context, load_calendars(session), utcnow())
    case_ids = session.scalars(
        select(WorkflowTimer.case_id).where(WorkflowTimer.status == WAITING).distinct()
    ).all()
    for case_id in case_ids:
        case = session.get(Case, case_id)
        assert case is not None
        open_steps = session.execute(
            select(Task.spec_name, Task.created_at).where(Task.case_id == case_id, Task.status == OPEN)
        ).all()
        result = engine.replay_timers(
            spec_ref(case.workflow_version), case.state, started_at=dict(open_steps)
        )
        case.state = result.state
        sync_timers(session, case=case, timers=result.timers)
    session.flush()
    return {"cases": len(case_ids), "calendar": payload.get("calendar")}


def worker_engine(session: Session, context: WorkerContext, now: datetime) -> ProcessEngine:
    """The worker's one engine, for other jobs that run cases (a resubmitted application, say)."""
    return _engine(context, load_calendars(session), now)


def _engine(context: WorkerContext, calendars: dict[str, WorkingCalendar], now: datetime) -> ProcessEngine:
    """One engine per worker; its helpers see this sweep's calendars and clock."""
    book: CalendarBook = context.resource("sla_calendar_book", CalendarBook)
    book.replace(calendars)
    book.clock = lambda: now
    engine: ProcessEngine = context.resource("process_engine", lambda: create_process_engine(book))
    return engine


def _lock_case(session: Session, case_id: int) -> Case | None:
    """The case row locked for this transaction; None when another worker holds it (it fires its timers)."""
    locked = session.scalar(select(Case.id).where(Case.id == case_id).with_for_update(skip_locked=True))
    return session.get(Case, case_id) if locked is not None else None


def _claim_due_timer(session: Session, case_id: int, worker_id: str, now: datetime) -> bool:
    """Marks the case's earliest due timer fired; false when another worker fired it first."""
    timer_id = session.scalar(
        select(WorkflowTimer.id)
        .where(WorkflowTimer.case_id == case_id, WorkflowTimer.status == WAITING, WorkflowTimer.due_at <= now)
        .order_by(WorkflowTimer.due_at, WorkflowTimer.id)
        .limit(1)
    )
    if timer_id is None:
        return False
    claimed = session.execute(
        update(WorkflowTimer)
        .where(WorkflowTimer.id == timer_id, WorkflowTimer.status == WAITING)
        .values(status=FIRED, fired_at=now, fired_by=worker_id)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _at_work(
    session: Session,
    case: Case,
    calendars: dict[str, WorkingCalendar],
    office_calendars: dict[str, str],
    now: datetime,
) -> bool:
    """Timers wait for the office's working hours: no reminder or escalation at midnight or on a holiday."""
    if case.area_code not in office_calendars:
        office_calendars[case.area_code] = calendar_name_for(session, case.area_code)
    calendar = calendars.get(office_calendars[case.area_code])
    return calendar is None or is_working_moment(calendar, now)
