"""Moving running cases to another version of their process: preview, migrate, and move back."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import cut_to_level
from webapp.domain.base import utcnow
from webapp.domain.cases import OPEN, Case
from webapp.domain.errors import DomainError, NotFound
from webapp.domain.messages import N_
from webapp.domain.people import ROLES, User
from webapp.domain.publishing import CaseMigration, WorkflowEvent
from webapp.domain.tasks import OPEN as TASK_OPEN
from webapp.domain.tasks import Task
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import STATE_VERSION, ProcessEngine
from webapp.engine.migration import check_migration, migrate_state
from webapp.engine.types import PendingTask
from webapp.services.casework.access import visible_cases
from webapp.services.casework.events import record_event
from webapp.services.casework.task_mirror import sync_tasks
from webapp.services.casework.versions import spec_ref
from webapp.services.processes.publishing import get_version


@dataclass(frozen=True)
class CaseMove:
    """Whether one running case can move to the target version, and if not which of its steps are missing."""

    case: Case
    missing: tuple[str, ...]

    @property
    def possible(self) -> bool:
        return not self.missing


def preview_migration(
    session: Session, *, engine: ProcessEngine, version_id: int, actor: User
) -> list[CaseMove]:
    """Every open case of the actor's area on another version of the process, and whether it can move."""
    target = get_version(session, version_id=version_id, actor=actor)
    cases = session.scalars(
        visible_cases(actor)
        .where(
            Case.process_id == target.process_id, Case.status == OPEN, Case.workflow_version_id != target.id
        )
        .order_by(Case.id)
    ).all()
    ref = spec_ref(target)
    return [CaseMove(case, check_migration(engine, ref, case.state).missing) for case in cases]


def migrate_cases(
    session: Session, *, engine: ProcessEngine, version_id: int, case_ids: Sequence[int], actor: User
) -> list[CaseMigration]:
    """Moves the chosen cases that can move; a case that cannot is refused with its missing steps."""
    moves = {
        move.case.id: move
        for move in preview_migration(session, engine=engine, version_id=version_id, actor=actor)
    }
    target = get_version(session, version_id=version_id, actor=actor)
    records = []
    for case_id in case_ids:
        move = moves.get(case_id)
        if move is None:
            raise NotFound(N_("Case not found."))
        if not move.possible:
            raise DomainError(
                N_("Case %(reference)s cannot move: its steps %(steps)s are not in the new version."),
                reference=move.case.reference,
                steps=", ".join(move.missing),
            )
        records.append(_migrate(session, engine, move.case, target, actor))
    return records


def _migrate(
    session: Session, engine: ProcessEngine, case: Case, target: WorkflowVersion, actor: User
) -> CaseMigration:
    result = migrate_state(engine, spec_ref(target), case.state)
    record = CaseMigration(
        case_id=case.id,
        from_version_id=case.workflow_version_id,
        to_version_id=target.id,
        previous_state=case.state,
        previous_state_version=case.state_version,
        case_row_version=0,
        migrated_by_id=actor.id,
    )
    case.state, case.state_version, case.workflow_version_id = result.state, STATE_VERSION, target.id
    session.flush()
    record.case_row_version = case.version_id
    session.add(record)
    _retitle_tasks(session, case, result.ready_tasks, actor)
    _audit(session, case, "case_migrated", actor, record)
    return record


def revert_migration(session: Session, *, engine: ProcessEngine, migration_id: int, actor: User) -> Case:
    """Puts the case back on its previous version, as long as nothing happened to it since the move."""
    record = session.get(CaseMigration, migration_id)
    case = session.get(Case, record.case_id) if record is not None else None
    if record is None or case is None or not actor.covers(case.area_code):
        raise NotFound(N_("Case not found."))
    get_version(session, version_id=record.from_version_id, actor=actor)  # checks the actor's role
    if record.reverted_at is not None or case.version_id != record.case_row_version:
        raise DomainError(N_("The case has moved on since: it stays on its new version."))
    previous = session.get(WorkflowVersion, record.from_version_id)
    assert previous is not None  # a foreign key
    case.state, case.state_version, case.workflow_version_id = (
        record.previous_state,
        record.previous_state_version,
        previous.id,
    )
    record.reverted_at, record.reverted_by_id = utcnow(), actor.id
    session.flush()
    _retitle_tasks(session, case, engine.ready_tasks(spec_ref(previous), case.state), actor)
    _audit(session, case, "migration_reverted", actor, record)
    return case


def _retitle_tasks(session: Session, case: Case, ready: tuple[PendingTask, ...], actor: User) -> None:
    """Open task rows keep their engine ids across versions; their name, form and role follow the version."""
    by_id = {pending.id: pending for pending in ready}
    rows = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == TASK_OPEN)).all()
    for row in rows:
        pending = by_id.get(row.engine_task_id)
        if pending is None or pending.lane not in ROLES:
            continue
        if pending.lane != row.role:
            row.role, row.assignee_id = pending.lane, None
            row.area_code = cut_to_level(case.area_code, ROLES[pending.lane].level)
        row.spec_name, row.name, row.form_key = pending.spec_name, pending.name, pending.form_key
    sync_tasks(session, case=case, ready=ready, actor=actor)


def _audit(session: Session, case: Case, kind: str, actor: User, record: CaseMigration) -> None:
    """In the process's audit and on the case's own timeline."""
    detail = {"case": case.reference, "from": record.from_version_id, "to": record.to_version_id}
    numbers = {
        version.id: version.version
        for version in session.scalars(
            select(WorkflowVersion).where(
                WorkflowVersion.id.in_([record.from_version_id, record.to_version_id])
            )
        )
    }
    before, after = numbers[record.from_version_id], numbers[record.to_version_id]
    if kind == "migration_reverted":
        before, after = after, before
    record_event(
        session, case=case, kind=kind, actor=actor, before={"version": before}, after={"version": after}
    )
    session.add(
        WorkflowEvent(
            process_id=case.process_id,
            kind=kind,
            version_id=record.to_version_id,
            actor_id=actor.id,
            detail_json=json.dumps(detail),
        )
    )
    session.flush()


def recent_migrations(
    session: Session, *, version_id: int, actor: User, limit: int = 50
) -> list[tuple[CaseMigration, Case]]:
    """The latest moves of the actor's cases to this version, to move one back."""
    get_version(session, version_id=version_id, actor=actor)
    visible = visible_cases(actor).subquery()
    rows = session.execute(
        select(CaseMigration, Case)
        .join(Case, Case.id == CaseMigration.case_id)
        .where(CaseMigration.to_version_id == version_id, Case.id.in_(select(visible.c.id)))
        .order_by(CaseMigration.id.desc())
        .limit(limit)
    ).all()
    return [(record, case) for record, case in rows]
