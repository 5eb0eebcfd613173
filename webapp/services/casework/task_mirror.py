"""Keeps the task table in step with the engine: the engine's READY user tasks are the truth."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain.areas import cut_to_level
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import WorkflowInvalid
from webapp.domain.people import ROLES, User
from webapp.domain.sla import CANCELLED as TIMER_CANCELLED
from webapp.domain.sla import FIRED, WAITING, WorkflowTimer
from webapp.domain.tasks import CANCELLED, OPEN, Task
from webapp.engine.types import BeforeStep, PendingTask, StepResult, WaitingTimer
from webapp.services.casework.events import record_event
from webapp.services.casework.families import StepOutcome, family_of, task_observers
from webapp.services.casework.step_writer import Offer, offer
from webapp.services.platform.transaction_memo import transaction_memo

# Built once: they run after every step.
_OPEN_TASKS = select(Task).where(Task.case_id == bindparam("case_id"), Task.status == OPEN)
_WAITING_TIMERS = select(WorkflowTimer).where(
    WorkflowTimer.case_id == bindparam("case_id"), WorkflowTimer.status == WAITING
)


def mirror_step(
    session: Session, *, case: Case, result: StepResult, actor: User | None, first: bool = False
) -> list[Task]:
    """Brings tasks and timers in step with what one engine step left ready, and tells the family.
    `first`: the step that opened the case, which has no task, timer, event or notice before it."""
    return sync_tasks(
        session,
        case=case,
        ready=result.ready_tasks,
        actor=actor,
        timers=result.timers,
        data=result.data,
        automatic_steps=result.automatic_steps,
        first=first,
        before=result.before,
    )


def sync_tasks(
    session: Session,
    *,
    case: Case,
    ready: tuple[PendingTask, ...],
    actor: User | None,
    timers: tuple[WaitingTimer, ...] | None = None,
    data: Mapping[str, Any] | None = None,
    automatic_steps: tuple[str, ...] = (),
    first: bool = False,
    before: BeforeStep | None = None,
) -> list[Task]:
    """Opens a row per newly ready task and cancels rows whose engine task is no longer ready.

    With `timers` (the step's waiting timers), the timer table is brought in step too. Then the shared
    contexts see the tasks opened (deadlines set due times) and the case's family sees the step. On the
    `first` step of a case nothing is read back: it has no rows yet, and observers learn so from
    `opened_in_transaction`; later steps in that transaction find its rows in memory. With `before`
    (what an officer's step found waiting), rows the case cannot have are not read back either.
    """
    family = family_of(case.process_id)
    if family is not None and family.on_result is not None:
        family.on_result(session, StepOutcome(case, (), data, automatic_steps, actor))
    opened = _mirror_rows(session, case, ready, actor, timers, first, before)
    known = None
    if timers is not None and before is not None and not opened_in_transaction(session, case):
        known = _KnownTimers.of(case, timers, before.timers)
        if known.gone or known.new:
            offer(session, known.offered)  # on PostgreSQL, into the step's statement (step_writer)
    ready_steps = [pending.spec_name for pending in ready]
    for observe in task_observers():
        observe(session, case, opened, ready_steps, actor)
    session.flush()
    if known is not None:
        _sync_known_timers(session, known)
    created = [task for task, _pending in opened]
    if family is not None and family.on_step is not None:
        family.on_step(session, StepOutcome(case, created, data, automatic_steps, actor))
    return created


def opened_in_transaction(session: Session, case: Case) -> bool:
    """True when this transaction opened `case`: whatever the case has (tasks, timers, events, notices),
    this transaction wrote, so an observer need not read what came before."""
    return case.id in transaction_memo(session, _OPENED_HERE)


def _mirror_rows(
    session: Session,
    case: Case,
    ready: tuple[PendingTask, ...],
    actor: User | None,
    timers: tuple[WaitingTimer, ...] | None,
    first: bool,
    before: BeforeStep | None,
) -> list[tuple[Task, PendingTask]]:
    """The step's task and timer rows, unflushed: new rows for what became ready, the rest cancelled."""
    here = _opened_here(session, case, first)
    with session.no_autoflush:  # the step's rows go out together, with the step's changes, in one flush
        if here is not None:  # every row of the case is in memory: none is read back
            open_rows: Sequence[Task] = [task for task in here.tasks if task.status == OPEN]
        elif before is not None and before.ready <= {before.completed}:
            open_rows = []  # the task completed was the only one ready: the case has no other open row
        else:  # a row completed by this step, not yet written, is known by its status in memory
            read = session.scalars(_OPEN_TASKS, {"case_id": case.id}).all()
            open_rows = [task for task in read if task.status == OPEN]
        if timers is not None and (here is not None or before is None):
            sync_timers(session, case=case, timers=timers)
        ready_ids = {pending.id for pending in ready}
        for row in open_rows:
            if row.engine_task_id not in ready_ids:
                row.status = CANCELLED
                row.completed_at = utcnow()
                record_event(session, case=case, kind="task_cancelled", actor=actor, task_name=row.name)
        known = {row.engine_task_id for row in open_rows}
        opened = [
            (_open_task(session, case, pending, actor), pending)
            for pending in ready
            if pending.id not in known
        ]
    if here is not None:
        here.tasks.extend(task for task, _pending in opened)
    return opened


@dataclass
class _OpenedHere:
    """Every task and timer row of a case this transaction opened (it had none before)."""

    tasks: list[Task] = field(default_factory=list)
    timers: list[WorkflowTimer] = field(default_factory=list)


_OPENED_HERE = "sala.casework.opened_here"


def _opened_here(session: Session, case: Case, first: bool) -> _OpenedHere | None:
    """The rows of a case opened in this transaction (registered at its `first` step), else None."""
    opened: dict[int, _OpenedHere] = transaction_memo(session, _OPENED_HERE)
    if first:
        opened[case.id] = _OpenedHere()
    return opened.get(case.id)


def open_first_task(session: Session, *, case: Case, pending: PendingTask, actor: User | None) -> Task:
    """The row of the first task of a case this transaction opens (the case's step that opened it, written
    by hand rather than mirrored): the case is registered as opened here, the row held with its others."""
    task = _open_task(session, case, pending, actor)
    here = _opened_here(session, case, first=True)
    assert here is not None
    here.tasks.append(task)
    return task


def _open_task(session: Session, case: Case, pending: PendingTask, actor: User | None) -> Task:
    if pending.lane not in ROLES:
        raise WorkflowInvalid([f"Task {pending.spec_name} is in lane {pending.lane!r}, which is not a role."])
    task = Task(
        case_id=case.id,
        process_id=case.process_id,
        engine_task_id=pending.id,
        spec_name=pending.spec_name,
        name=pending.name,
        form_key=pending.form_key,
        role=pending.lane,
        area_code=cut_to_level(case.area_code, ROLES[pending.lane].level),
        status=OPEN,
        created_at=utcnow(),
    )
    session.add(task)
    record_event(
        session,
        case=case,
        kind="task_created",
        actor=actor,
        task_name=pending.name,
        after={"role": pending.lane},
    )
    return task


def sync_timers(
    session: Session,
    *,
    case: Case,
    timers: tuple[WaitingTimer, ...],
    fired: tuple[str, ...] = (),
) -> None:
    """One row per waiting timer, so the worker finds due cases without loading any workflow.

    `fired` holds the engine ids of the timers that just fired; other rows no longer waiting were cancelled.
    A case this transaction opened has every timer row in memory: they are not read back.
    """
    here = _opened_here(session, case, first=False)
    held = here.timers if here is not None else None
    if held is not None:
        rows: Sequence[WorkflowTimer] = [row for row in held if row.status == WAITING]
    else:
        rows = session.scalars(_WAITING_TIMERS, {"case_id": case.id}).all()
    waiting = {timer.id: timer for timer in timers}
    for row in rows:
        if row.engine_task_id not in waiting:
            row.status = FIRED if row.engine_task_id in fired else TIMER_CANCELLED
            row.fired_at = utcnow() if row.engine_task_id in fired else None
        else:
            row.due_at = waiting[row.engine_task_id].due_at
    known = {row.engine_task_id for row in rows}
    for timer in timers:
        if timer.id not in known:
            row = WorkflowTimer(
                case_id=case.id, engine_task_id=timer.id, spec_name=timer.spec_name, due_at=timer.due_at
            )
            session.add(row)
            if held is not None:
                held.append(row)


@dataclass
class _KnownTimers:
    """What an officer's step did to the case's timers, from what was waiting before: the engine ids of
    timers gone, the rows of timers that started waiting, the timers whose due time moved."""

    case: Case
    gone: list[str]
    new: list[dict[str, Any]]
    moved: list[WaitingTimer]
    offered: Offer

    @classmethod
    def of(
        cls, case: Case, timers: tuple[WaitingTimer, ...], before: tuple[WaitingTimer, ...]
    ) -> "_KnownTimers":
        waiting, was = {timer.id: timer for timer in timers}, {timer.id: timer for timer in before}
        gone = [timer_id for timer_id in was if timer_id not in waiting]
        new = [
            {
                "case_id": case.id,
                "engine_task_id": timer.id,
                "spec_name": timer.spec_name,
                "due_at": timer.due_at,
                "status": WAITING,
            }
            for timer in timers
            if timer.id not in was
        ]
        moved = [timer for timer in timers if timer.id in was and was[timer.id].due_at != timer.due_at]
        cancel = {"status": TIMER_CANCELLED, "fired_at": None}
        match = {"case_id": case.id, "status": WAITING}
        offered = Offer(case, _TIMER_TABLE, cancel, match, ("engine_task_id", gone), new)
        return cls(case, gone, new, moved, offered)


def _sync_known_timers(session: Session, known: _KnownTimers) -> None:
    """After an officer's step, the timer rows brought in step from what was waiting before, by plain
    statements: rows of timers gone are cancelled (an officer's step fires none), a timer that started
    waiting in this step gets its row (it cannot have one yet). Unless the step's own statement took them
    (step_writer), they go once the step is written: the case row is locked before its timers', as the
    sweeps lock them. On PostgreSQL the cancel and the new rows go out as one statement."""
    case, gone, new = known.case, known.gone, known.new
    together = bool(gone and new) and session.get_bind().dialect.name == "postgresql"
    if gone:
        if not known.offered.written:
            cancel = _waiting_update(case, gone, status=TIMER_CANCELLED, fired_at=None)
            if together:
                session.execute(insert(_TIMER_TABLE).values(new).add_cte(cancel.cte("cancelled")))
            else:
                session.execute(cancel, {"engine_ids": gone})
        _keep_held_in_step(session, case, gone, status=TIMER_CANCELLED, fired_at=None)
    for timer in known.moved:
        _update_waiting(session, case, [timer.id], due_at=timer.due_at)
    if new and not together and not known.offered.written:
        session.execute(insert(_TIMER_TABLE), new)
    known.offered.written = True  # done either way: a later flush of the case must not take it again


_TIMER_TABLE = cast(Table, WorkflowTimer.__table__)


def _update_waiting(session: Session, case: Case, engine_ids: list[str], **values: Any) -> None:
    """Waiting rows of the case updated by engine id; a row of them held in the session is kept in step."""
    session.execute(_waiting_update(case, engine_ids, **values), {"engine_ids": engine_ids})
    _keep_held_in_step(session, case, engine_ids, **values)


def _waiting_update(case: Case, engine_ids: list[str], **values: Any) -> Update:
    """The case's waiting rows of these engine ids set to `values`; the ids travel with the statement (as
    "engine_ids"), so it also runs inside another one."""
    table = _TIMER_TABLE
    return (
        update(table)
        .where(
            table.c.case_id == case.id,
            table.c.status == WAITING,
            table.c.engine_task_id.in_(bindparam("engine_ids", engine_ids, expanding=True)),
        )
        .values(**values)
    )


def _keep_held_in_step(session: Session, case: Case, engine_ids: list[str], **values: Any) -> None:
    for held in session.identity_map.values():
        if isinstance(held, WorkflowTimer) and held.case_id == case.id and held.engine_task_id in engine_ids:
            for name, value in values.items():
                set_committed_value(held, name, value)
