"""Keeps the task table in step with the engine: the engine's READY user tasks are the truth."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import cut_to_level
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import WorkflowInvalid
from webapp.domain.people import ROLES, User
from webapp.domain.tasks import CANCELLED, OPEN, Task
from webapp.engine.types import PendingTask
from webapp.services.events import record_event

DEFAULT_DUE_WORKING_DAYS = 5


def sync_tasks(
    session: Session, *, case: Case, ready: tuple[PendingTask, ...], actor: User | None
) -> list[Task]:
    """Opens a row per newly ready task and cancels rows whose engine task is no longer ready."""
    open_rows = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN)).all()
    ready_ids = {pending.id for pending in ready}
    for row in open_rows:
        if row.engine_task_id not in ready_ids:
            row.status = CANCELLED
            row.completed_at = utcnow()
            record_event(session, case=case, kind="task_cancelled", actor=actor, task_name=row.name)
    known = {row.engine_task_id for row in open_rows}
    created = [_open_task(session, case, pending, actor) for pending in ready if pending.id not in known]
    session.flush()
    return created


def _open_task(session: Session, case: Case, pending: PendingTask, actor: User | None) -> Task:
    if pending.lane not in ROLES:
        raise WorkflowInvalid([f"Task {pending.spec_name} is in lane {pending.lane!r}, which is not a role."])
    now = utcnow()
    days = int(pending.properties.get("dueInWorkingDays", DEFAULT_DUE_WORKING_DAYS))
    task = Task(
        case_id=case.id,
        engine_task_id=pending.id,
        spec_name=pending.spec_name,
        name=pending.name,
        form_key=pending.form_key,
        role=pending.lane,
        area_code=cut_to_level(case.area_code, ROLES[pending.lane].level),
        status=OPEN,
        created_at=now,
        due_at=add_weekdays(now, days),
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


def add_weekdays(start: datetime, days: int) -> datetime:
    """Monday-to-Friday days; the working-time calendar of the SLA issue replaces this."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment
