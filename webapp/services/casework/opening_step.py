"""A case whose opening officer completes its first task as it opens (an application's intake): one engine
run starts the case and completes that task, the case row goes in with the state after it, and the task's
row goes in completed. The timeline reads as if the case had been opened and its first task then submitted:
the same events, in the same order, with the same content."""

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import COMPLETED, Task
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import OpeningStep, ProcessEngine
from webapp.services.casework.cases import (
    CaseOpening,
    OpenedCase,
    add_case_row,
    close_case,
    new_case_row,
    prepare_opening,
)
from webapp.services.casework.events import record_event
from webapp.services.casework.families import StepOutcome, completion_observers, family_of, task_observers
from webapp.services.casework.steps import engine_step
from webapp.services.casework.task_mirror import mirror_step, open_first_task
from webapp.services.casework.versions import spec_ref

FirstData = Callable[[], Mapping[str, Any]]  # the first task's data, asked once the case's files are in


def open_case_with_first_step(
    session: Session,
    engine: ProcessEngine,
    *,
    opening: CaseOpening,
    actor: User,
    first_data: FirstData,
    file_first: Callable[[Case], None] | None = None,
) -> OpenedCase:
    """Opens a case whose one ready task after the start, in the actor's role, the actor completes at once
    with `first_data()`; `tasks` of the answer are the rows opened after that task (mirrored as any step's:
    due times, notices, timers). The task's row is the actor's, completed, with no notice nor timer.

    `file_first` files what the case arrives with (documents) before its first task: their rows need the
    case's id, so that case row is written before the engine run and its state follows with the step."""
    if not actor.covers(opening.area_code):
        raise PermissionDenied(N_("This task is for another role or area."))
    version, reference, start, case_id = prepare_opening(session, opening)
    if file_first is None:
        data = first_data()
        opened = _run(engine, version, reference, start, data, actor)
        row = new_case_row(opening, version, reference, opened.result.state, actor.id, case_id)
        case = add_case_row(session, row, opening, actor)
    else:
        row = new_case_row(opening, version, reference, "", actor.id, case_id)
        case = add_case_row(session, row, opening, actor)
        file_first(case)
        data = first_data()
        opened = _run(engine, version, reference, start, data, actor)
        case.state = opened.result.state
    _complete_first_task(session, case, opened, data, actor)
    result = opened.result
    if result.finished:
        close_case(session, case=case, data=result.data, actor=actor)
    created = mirror_step(session, case=case, result=result, actor=actor)
    session.flush()
    return OpenedCase(case, created)


def _run(
    engine: ProcessEngine,
    version: WorkflowVersion,
    reference: str,
    start: Mapping[str, Any],
    data: Mapping[str, Any],
    actor: User,
) -> OpeningStep:
    with engine_step(reference):
        return engine.start_and_complete(spec_ref(version), start, data, lane=actor.role)


def _complete_first_task(
    session: Session, case: Case, opened: OpeningStep, data: Mapping[str, Any], actor: User
) -> Task:
    """The first task's row, opened and completed: the shared contexts and the family see the step that
    opened it (due times; no notice for a task already done), then its completion, as after a submit."""
    first = opened.first
    family = family_of(case.process_id)
    started = StepOutcome(case, (), opened.started_data, opened.started_steps, actor)
    if family is not None and family.on_result is not None:
        family.on_result(session, started)
    task = open_first_task(session, case=case, pending=first, actor=actor)
    task.assignee_id = actor.id
    task.status, task.completed_at, task.completed_by_id = COMPLETED, utcnow(), actor.id
    task.submitted_json = json.dumps(dict(data), ensure_ascii=False, default=str)
    for observe in task_observers():
        observe(session, case, [(task, first)], [first.spec_name], actor)
    if family is not None and family.on_step is not None:
        family.on_step(session, replace(started, created=[task]))
    for complete in completion_observers():
        complete(session, task)
    record_event(
        session, case=case, kind="task_completed", actor=actor, task_name=task.name, after=dict(data)
    )
    return task
