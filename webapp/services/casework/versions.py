"""Which process version a case runs on: the newest published one for new cases, and its parsed spec."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.workflows import PUBLISHED, WorkflowVersion
from webapp.engine import SpecRef


def latest_version(session: Session, process_id: str) -> WorkflowVersion | None:
    """The version new cases start on: the newest published one (drafts and archived ones never serve)."""
    return session.scalar(
        select(WorkflowVersion)
        .where(WorkflowVersion.process_id == process_id, WorkflowVersion.status == PUBLISHED)
        .order_by(WorkflowVersion.version.desc())
        .limit(1)
    )


# Content never changes under a hash, so each spec is read from the database once per process.
_SPEC_REFS: dict[str, SpecRef] = {}


def spec_ref(version: WorkflowVersion) -> SpecRef:
    """The spec of a stored version; its large spec_json column is loaded only on the first use."""
    cached = _SPEC_REFS.get(version.content_hash)
    if cached is None:
        cached = _SPEC_REFS[version.content_hash] = SpecRef(version.content_hash, version.spec_json)
    return cached
