"""Working tasks: claim, release, reassign and submit. Every check of who may act lives here."""

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import (
    CaseChanged,
    NotFound,
    PermissionDenied,
    TaskNotAvailable,
)
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import COMPLETED, OPEN, Task
from webapp.engine import ProcessEngine, StepResult
from webapp.services.casework.cases import close_case
from webapp.services.casework.documents import DEFAULT_MAX_BYTES, Upload, attach_documents, check_uploads
from webapp.services.casework.events import record_event
from webapp.services.casework.families import completion_observers, reassign_observers
from webapp.services.casework.steps import engine_step
from webapp.services.casework.task_mirror import mirror_step
from webapp.services.casework.versions import spec_ref

log = logging.getLogger(__name__)


def get_task(session: Session, *, task_id: int, user: User) -> Task:
    """A task the user may look at: in their area, for their role, or any task they supervise."""
    task = session.get(Task, task_id)
    if task is None or not user.covers(task.case.area_code):
        raise NotFound(N_("Task not found."))
    if task.role != user.role and not user.is_supervisor and task.assignee_id != user.id:
        raise NotFound(N_("Task not found."))
    return task


def claim_task(session: Session, *, task_id: int, actor: User) -> Task:
    task = get_task(session, task_id=task_id, user=actor)
    if not actor.works_on(task.role, task.case.area_code):
        raise PermissionDenied(N_("This task is for another role or area."))
    # A conditional update: of two officers claiming at once, exactly one gets the task.
    claimed = session.execute(_CLAIM, {"task_id": task.id, "assignee_id": actor.id})
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise TaskNotAvailable(N_("Someone else has already claimed this task."))
    set_committed_value(task, "assignee_id", actor.id)
    set_committed_value(task, "assignee", actor)
    record_event(session, case=task.case, kind="task_claimed", actor=actor, task_name=task.name)
    return task


def _claim_statement() -> Update:
    """Built once, a plain table update (the task in memory is set by hand after it)."""
    table = cast(Table, Task.__table__)
    return (
        update(table)
        .where(table.c.id == bindparam("task_id"), table.c.status == OPEN, table.c.assignee_id.is_(None))
        .values(assignee_id=bindparam("assignee_id"))
    )


_CLAIM = _claim_statement()


def release_task(session: Session, *, task_id: int, actor: User) -> Task:
    task = get_task(session, task_id=task_id, user=actor)
    if task.status != OPEN or (task.assignee_id != actor.id and not actor.is_supervisor):
        raise TaskNotAvailable()
    before = {"assignee": task.assignee.username if task.assignee else None}
    task.assignee_id = None
    record_event(
        session, case=task.case, kind="task_released", actor=actor, task_name=task.name, before=before
    )
    session.flush()
    return task


def reassign_task(session: Session, *, task_id: int, assignee_id: int, actor: User) -> Task:
    task = get_task(session, task_id=task_id, user=actor)
    if not actor.may_reassign(task.role, task.case.area_code):  # own level or below, in own area
        raise PermissionDenied(N_("Only a supervisor can reassign a task."))
    if task.status != OPEN:
        raise TaskNotAvailable()
    assignee = session.get(User, assignee_id)
    if assignee is None or not assignee.works_on(task.role, task.case.area_code):
        raise PermissionDenied(N_("This officer cannot take this task: another role or area."))
    before = {"assignee": task.assignee.username if task.assignee else None}
    task.assignee_id = assignee.id
    record_event(
        session,
        case=task.case,
        kind="task_reassigned",
        actor=actor,
        task_name=task.name,
        before=before,
        after={"assignee": assignee.username},
    )
    session.flush()
    for observe in reassign_observers():
        observe(session, task, actor)
    return task


def submit_task(
    session: Session,
    *,
    engine: ProcessEngine,
    task_id: int,
    data: Mapping[str, Any],
    actor: User,
    case_version: int | None,
    uploads: Sequence[Upload] = (),
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
) -> Task:
    """Runs the task in the engine and records the result; `case_version` is the version the officer saw.
    Uploaded files are filed on the case; their document ids go into the task's data under their field."""
    task = get_task(session, task_id=task_id, user=actor)
    if task.status != OPEN or task.assignee_id != actor.id:
        raise TaskNotAvailable()
    case = task.case
    if case_version is not None and case_version != case.version_id:
        raise CaseChanged()
    check_uploads(list(uploads), max_bytes=max_upload_bytes)
    data = {**data, **attach_documents(session, case=case, uploads=uploads, actor=actor)}
    with engine_step(case.reference):
        result = engine.complete_task(
            spec_ref(case.workflow_version), case.state, task.engine_task_id, data, lane=task.role
        )
    case.state = result.state
    task.status, task.completed_at, task.completed_by_id = COMPLETED, utcnow(), actor.id
    for observe in completion_observers():
        observe(session, task)
    task.submitted_json = json.dumps(dict(data), ensure_ascii=False, default=str)
    record_event(
        session, case=case, kind="task_completed", actor=actor, task_name=task.name, after=dict(data)
    )
    _write_step(session, case, result, actor)
    return task


def _write_step(session: Session, case: Case, result: StepResult, actor: User) -> None:
    """The close, when the process ended, and the mirror; the step is written by one flush once the mirror
    has added its rows. The case row carries an optimistic lock: a concurrent change makes that flush fail."""
    try:
        if result.finished:
            close_case(session, case=case, data=result.data, actor=actor)
        mirror_step(session, case=case, result=result, actor=actor)
        session.flush()
    except StaleDataError as error:
        raise CaseChanged() from error
