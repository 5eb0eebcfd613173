"""SLA due times of tasks and the clocks of cases, computed in working time from the case's events."""

import logging
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.people import User
from webapp.domain.sla import DEFAULT_CALENDAR, SlaPolicyRecord
from webapp.domain.tasks import OPEN, Task
from webapp.engine.types import PendingTask
from webapp.services.casework.events import record_event
from webapp.services.deadlines.calendars import calendar_name_for, load_calendars
from webapp.services.deadlines.table_stamp import table_stamp
from webapp.sla import DurationInvalid, WorkingCalendar, WorkingDuration, add_working_time, parse_duration
from webapp.sla.clock import PAUSE, RESUME, START, STOP, ClockEvent, ClockState, SlaPolicy, clock_state
from webapp.sla.working_time import split_working_time, working_time_between

log = logging.getLogger(__name__)

DEFAULT_TARGET = "P5D"
AT_RISK = (0.5, 0.8)
# Case events that move a case-level clock; the timeline shows them too.
CLOCK_KINDS = {"case_opened": START, "clock_paused": PAUSE, "clock_resumed": RESUME, "case_closed": STOP}


def step_target(properties: Mapping[str, str]) -> str:
    """The step's SLA target: slaTarget ("P5D", "PT4H"), or the older dueInWorkingDays, or the default."""
    if properties.get("slaTarget"):
        return properties["slaTarget"]
    if properties.get("dueInWorkingDays"):
        return f"P{int(properties['dueInWorkingDays'])}D"
    return DEFAULT_TARGET


def step_deadline(
    calendar: WorkingCalendar, start: datetime, target: str, at_risk: float = AT_RISK[0]
) -> tuple[datetime, datetime]:
    """When a step started at `start` is due, and when it turns at risk (a share of its working time)."""
    due = add_working_time(calendar, start, target)
    span = working_time_between(calendar, start, due)
    warn = add_working_time(calendar, start, WorkingDuration(seconds=int(span.total_seconds() * at_risk)))
    return due, warn


def on_tasks_opened(
    session: Session,
    case: Case,
    opened: Sequence[tuple[Task, PendingTask]],
    ready_steps: Sequence[str],
    actor: User | None,
) -> None:
    """The core's hook after every step: each new task gets its due time, and the case clock pauses while
    a pause step (waiting for the citizen) is open.

    Without autoflush, so the lookups do not write the new tasks before their due times are set: each
    task is inserted once, with its SLA fields, by the next flush."""
    with session.no_autoflush:
        calendars = load_calendars(session) if opened else {}
        for task, pending in opened:
            set_task_deadline(session, task, case, pending.properties, calendars=calendars)
        record_clock_pauses(session, case=case, ready_steps=ready_steps, actor=actor)


def on_task_completed(session: Session, task: Task) -> None:
    """The core's completion hook: the step's working time on its calendar, kept for the SLA report."""
    if task.completed_at is None:
        return
    with session.no_autoflush:
        calendars = load_calendars(session)
    calendar = calendars.get(task.sla_calendar or DEFAULT_CALENDAR) or calendars[DEFAULT_CALENDAR]
    task.working_seconds = int(
        working_time_between(calendar, task.created_at, task.completed_at).total_seconds()
    )


def set_task_deadline(
    session: Session,
    task: Task,
    case: Case,
    properties: Mapping[str, str],
    *,
    calendars: Mapping[str, WorkingCalendar],
) -> None:
    """Publishing refuses bad SLA properties; one that slipped through falls back to the defaults, logged,
    so a case never stops on it."""
    target = step_target(properties)
    calendar = properties.get("slaCalendar") or calendar_name_for(session, case.area_code)
    if calendar not in calendars:
        log.warning(
            "Task %s names the unknown calendar %r; using %s", task.spec_name, calendar, DEFAULT_CALENDAR
        )
        calendar = DEFAULT_CALENDAR
    try:
        parse_duration(target)
    except DurationInvalid:
        log.warning("Task %s has the invalid slaTarget %r; using %s", task.spec_name, target, DEFAULT_TARGET)
        target = DEFAULT_TARGET
    task.sla_target, task.sla_calendar = target, calendar
    task.due_at, task.at_risk_at = step_deadline(calendars[calendar], task.created_at, target)


def recompute_open_tasks(session: Session, *, calendar_name: str | None = None) -> int:
    """After a calendar is corrected, every open task on it gets its due time again from its start."""
    calendars = load_calendars(session)
    query = select(Task).where(Task.status == OPEN, Task.sla_target.is_not(None))
    if calendar_name:
        query = query.where(Task.sla_calendar == calendar_name)
    count = 0
    for task in session.scalars(query):
        calendar = calendars.get(task.sla_calendar or "")
        if calendar is not None and task.sla_target:
            task.due_at, task.at_risk_at = step_deadline(calendar, task.created_at, task.sla_target)
            count += 1
    session.flush()
    return count


def policies_for(session: Session, process_id: str) -> list[SlaPolicy]:
    """The case-level clocks of a process, read from the database only when the policies have changed."""
    stamp = table_stamp(session).policies
    with _POLICIES_LOCK:
        found = _POLICIES.get(stamp)
    if found is None:
        found = _read_policies(session)
        with _POLICIES_LOCK:
            _POLICIES.clear()  # one state of the policies is kept: the newest one read
            _POLICIES[stamp] = found
    return list(found.get(process_id, ()))


_POLICIES: dict[tuple[Any, ...], Mapping[str, tuple[SlaPolicy, ...]]] = {}
_POLICIES_LOCK = threading.Lock()


def _read_policies(session: Session) -> Mapping[str, tuple[SlaPolicy, ...]]:
    by_process: dict[str, list[SlaPolicy]] = {}
    for row in session.scalars(select(SlaPolicyRecord).order_by(SlaPolicyRecord.id)):
        by_process.setdefault(row.process_id, []).append(
            SlaPolicy(
                clock=row.clock,
                target=parse_duration(row.target),
                at_risk=(row.at_risk_first, row.at_risk_second),
                pause_states=frozenset(name for name in row.pause_tasks.split(",") if name),
                on_reopen=row.on_reopen,
                calendar=row.calendar_name or "",
            )
        )
    return {process_id: tuple(policies) for process_id, policies in by_process.items()}


def record_clock_pauses(
    session: Session, *, case: Case, ready_steps: Iterable[str], actor: User | None
) -> None:
    """Pauses a case clock while one of its pause steps (waiting for the citizen) is open, and resumes it.
    The case row keeps whether its last pause or resume was a pause, so no event is read back."""
    # A clock without pause steps is never paused: no need to look at the case's pauses.
    pausing = [policy for policy in policies_for(session, case.process_id) if policy.pause_states]
    if not pausing:
        return
    steps = set(ready_steps)
    last = now = bool(case.clock_paused)  # a case not yet written has never paused
    for policy in pausing:
        waiting = bool(steps & policy.pause_states)
        if waiting != last:
            now = waiting
            kind = "clock_paused" if waiting else "clock_resumed"
            record_event(session, case=case, kind=kind, actor=actor, after={"clock": policy.clock})
    if now != last:
        case.clock_paused = now


def case_clocks(session: Session, *, case: Case, now: datetime) -> dict[str, ClockState]:
    """Each case-level clock of the case's process, folded from the case's events."""
    calendars = load_calendars(session)
    events = session.execute(
        select(CaseEvent.kind, CaseEvent.at)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind.in_(CLOCK_KINDS))
        .order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    clock_events = [ClockEvent(CLOCK_KINDS[kind], at) for kind, at in events]
    states = {}
    for policy in policies_for(session, case.process_id):
        calendar = calendars[policy.calendar or calendar_name_for(session, case.area_code)]
        state = clock_state(calendar, policy, clock_events, now)
        if state is not None:
            states[policy.clock] = state
    return states


@dataclass(frozen=True)
class SlaView:
    """What the inbox shows: status (on_track, at_risk, breached) and working days and hours left or over."""

    status: str
    days: int
    hours: int
    overdue: bool


def sla_view(
    calendar: WorkingCalendar, *, due_at: datetime, at_risk_at: datetime | None, now: datetime
) -> SlaView:
    overdue = now >= due_at
    split = (
        split_working_time(calendar, due_at, now) if overdue else split_working_time(calendar, now, due_at)
    )
    status = "breached" if overdue else "at_risk" if at_risk_at and now >= at_risk_at else "on_track"
    return SlaView(
        status=status,
        days=split.days,
        hours=split.seconds // 3600,
        overdue=overdue,
    )


def sla_views(session: Session, tasks: Iterable[Task], *, now: datetime) -> dict[int, SlaView]:
    """The working time left (or over) of each open task with a due time, for the inbox and case page."""
    calendars = load_calendars(session)
    views = {}
    for task in tasks:
        calendar = calendars.get(task.sla_calendar or DEFAULT_CALENDAR)
        if task.status == OPEN and task.due_at is not None and calendar is not None:
            views[task.id] = sla_view(calendar, due_at=task.due_at, at_risk_at=task.at_risk_at, now=now)
    return views
