"""Deploys process definitions as versions, stored once per content hash."""

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.domain.errors import ConcurrentChange
from webapp.domain.people import User
from webapp.domain.workflows import WorkflowVersion
from webapp.engine import ProcessEngine
from webapp.engine.types import DeployedProcess


def deploy_directory(
    session: Session, *, engine: ProcessEngine, directory: Path, actor: User | None = None
) -> list[WorkflowVersion]:
    """Deploys every process of `directory`; an unchanged file keeps its version."""
    return [_store(session, deployed, actor) for deployed in engine.read_directory(directory)]


def store_version(session: Session, *, deployed: DeployedProcess, actor: User | None) -> WorkflowVersion:
    """The stored version of `deployed`: the existing row for its content hash, or a new published one."""
    return _store(session, deployed, actor)


def _store(session: Session, deployed: DeployedProcess, actor: User | None) -> WorkflowVersion:
    existing = session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.process_id == deployed.process_id,
            WorkflowVersion.content_hash == deployed.content_hash,
        )
    )
    if existing is not None:
        return existing
    last = session.scalar(
        select(func.max(WorkflowVersion.version)).where(WorkflowVersion.process_id == deployed.process_id)
    )
    version = WorkflowVersion(
        process_id=deployed.process_id,
        version=(last or 0) + 1,
        name=deployed.name,
        content_hash=deployed.content_hash,
        files_json=json.dumps(dict(deployed.files), ensure_ascii=False),
        spec_json=deployed.spec_json,
        deployed_by_id=actor.id if actor else None,
    )
    try:
        with session.begin_nested():  # two publishers at once: the unique version number lets one through
            session.add(version)
    except IntegrityError as error:
        raise ConcurrentChange() from error
    return version
