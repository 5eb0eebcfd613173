"""Opening and closing a case: the one sequence every family's cases go through."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED, Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import Task
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import STATE_VERSION, ProcessEngine
from webapp.services.casework.events import record_event
from webapp.services.casework.families import family_of
from webapp.services.casework.references import next_case_reference
from webapp.services.casework.steps import engine_step
from webapp.services.casework.task_mirror import mirror_step
from webapp.services.casework.versions import latest_version, spec_ref

# Workflow variables copied onto the case when the process ends.
OUTCOME_KEYS = ("outcome", "outcome_reason")


@dataclass(frozen=True)
class CaseOpening:
    """What a family says about a new case; the core does the rest."""

    process_id: str
    reference_prefix: str  # APP, GRV...: numbered per district and year
    area_code: str  # the village or commune the case belongs to
    today: date
    data: Mapping[str, Any]  # the workflow's starting data
    reference_key: str | None = None  # a data key that receives the case's reference, if the process uses it
    opened: Mapping[str, Any] | None = None  # what the timeline's "case opened" event shows
    person_id: int | None = None
    programme_code: str | None = None


@dataclass(frozen=True)
class OpenedCase:
    case: Case
    tasks: list[Task]  # the task rows the start opened


def open_case(
    session: Session,
    engine: ProcessEngine,
    *,
    opening: CaseOpening,
    actor: User | None,
    created_by_id: int,
    file_first: Callable[[Case], None] | None = None,
) -> OpenedCase:
    """Latest version, engine start, case row, event, tasks and timers: in that order, for every family;
    `file_first` files what the case arrives with (documents) before its first task opens."""
    version, reference, data, case_id = prepare_opening(session, opening)
    with engine_step(reference):
        result = engine.start(spec_ref(version), data)
    row = new_case_row(opening, version, reference, result.state, created_by_id, case_id)
    case = add_case_row(session, row, opening, actor)
    if file_first is not None:
        file_first(case)
    return OpenedCase(case, mirror_step(session, case=case, result=result, actor=actor, first=True))


def prepare_opening(
    session: Session, opening: CaseOpening
) -> tuple[WorkflowVersion, str, dict[str, Any], int | None]:
    """The version a new case runs, its reference, its starting data (the reference in it, if asked) and,
    on PostgreSQL, its row's id."""
    version = latest_version(session, opening.process_id)
    if version is None:
        raise NotFound(N_("This process is not deployed."))
    reference, case_id = next_case_reference(
        session, prefix=opening.reference_prefix, district_code=opening.area_code[:4], year=opening.today.year
    )
    data = dict(opening.data)
    if opening.reference_key:
        data[opening.reference_key] = reference
    return version, reference, data, case_id


def new_case_row(
    opening: CaseOpening,
    version: WorkflowVersion,
    reference: str,
    state: str,
    created_by_id: int,
    case_id: int | None = None,
) -> Case:
    """The case's row, not yet added; it holds its version: its first step finds the spec without a query."""
    return Case(
        id=case_id,
        reference=reference,
        process_id=opening.process_id,
        workflow_version_id=version.id,
        workflow_version=version,
        person_id=opening.person_id,
        programme_code=opening.programme_code,
        area_code=opening.area_code,
        state=state,
        state_version=STATE_VERSION,
        created_by_id=created_by_id,
    )


def add_case_row(session: Session, case: Case, opening: CaseOpening, actor: User | None) -> Case:
    """The new case's row in the session, and its "case opened" event. A row without its id yet (SQLite) is
    written at once, for the rows that name it; one with it goes out with them."""
    session.add(case)
    if case.id is None:
        session.flush()
    record_event(session, case=case, kind="case_opened", actor=actor, after=dict(opening.opened or {}))
    return case


def close_case(session: Session, *, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The process has ended: the outcome goes on the case, then the family does what its close needs."""
    case.status, case.closed_at = CLOSED, utcnow()
    case.outcome = data.get("outcome")
    case.outcome_reason = data.get("outcome_reason")
    family = family_of(case.process_id)
    if family is not None and family.on_close is not None:
        family.on_close(session, case, data, actor)
    record_event(
        session,
        case=case,
        kind="case_closed",
        actor=actor,
        after={key: data.get(key) for key in OUTCOME_KEYS},
    )
