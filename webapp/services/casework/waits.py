"""Answering a case that waits for something from outside: a check the worker runs against another agency's
system, say. In the diagram the wait is a timer event whose time is the limit of the wait; the answer moves
the case on before it, with the answer's variables. Once the limit has passed, the case went on without it."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from webapp.domain.cases import OPEN as CASE_OPEN
from webapp.domain.cases import Case
from webapp.domain.errors import CaseChanged
from webapp.domain.sla import WAITING, WorkflowTimer
from webapp.engine import ProcessEngine
from webapp.services.casework.cases import close_case
from webapp.services.casework.steps import engine_step
from webapp.services.casework.task_mirror import sync_tasks, sync_timers
from webapp.services.casework.versions import spec_ref


def waits_at(session: Session, case: Case, step: str) -> str | None:
    """The engine id of the wait `step` the case is at, or None: read from the timer table, no engine."""
    return session.scalar(
        select(WorkflowTimer.engine_task_id).where(
            WorkflowTimer.case_id == case.id,
            WorkflowTimer.spec_name == step,
            WorkflowTimer.status == WAITING,
        )
    )


def answer_wait(
    session: Session, *, engine: ProcessEngine, case: Case, step: str, data: Mapping[str, Any]
) -> bool:
    """Moves the case on from its wait `step` with `data`: tasks, timers, the family's step hook, and the
    close when the process ends. False, and nothing changed, when the case is not waiting there."""
    if case.status != CASE_OPEN or waits_at(session, case, step) is None:
        return False
    with engine_step(case.reference):
        result = engine.answer_wait(spec_ref(case.workflow_version), case.state, step=step, data=data)
    if not result.fired_timers:
        return False
    case.state = result.state
    sync_timers(session, case=case, timers=result.timers, fired=tuple(t.id for t in result.fired_timers))
    if result.finished:
        close_case(session, case=case, data=result.data, actor=None)
    try:
        session.flush()
    except StaleDataError as error:
        raise CaseChanged() from error
    sync_tasks(
        session,
        case=case,
        ready=result.ready_tasks,
        actor=None,
        data=result.data,
        automatic_steps=result.automatic_steps,
    )
    return True
