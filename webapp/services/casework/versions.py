"""Which process version a case runs on: the newest published one for new cases, and its parsed spec."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.sla import WORKFLOWS_STAMP
from webapp.domain.workflows import PUBLISHED, WorkflowVersion
from webapp.engine import SpecRef
from webapp.services.platform.kept_rows import attached, plain_values
from webapp.services.platform.reference_stamp import stamp_counters

# Per process: the "workflows" stamp it was read under and the latest published version's plain values (None:
# the process has none). Any write of workflow_version moves the stamp (migration 0033), in the writing
# transaction: a publish, a withdrawal or a new deployment is seen by the next opening in every process.
_LATEST: dict[str, tuple[Any, dict[str, Any] | None]] = {}


def latest_version(session: Session, process_id: str) -> WorkflowVersion | None:
    """The version new cases start on: the newest published one (drafts and archived ones never serve). Kept
    per process while the "workflows" stamp holds; the answer is a row of `session` (no query when kept)."""
    if session.autoflush:
        session.flush()  # the session's own unwritten edits of a version move the stamp before it is read
    stamp = stamp_counters(session)[WORKFLOWS_STAMP]
    kept = _LATEST.get(process_id)
    if kept is not None and kept[0] == stamp:
        return None if kept[1] is None else attached(session, WorkflowVersion, kept[1])
    version = session.scalar(
        select(WorkflowVersion)
        .where(WorkflowVersion.process_id == process_id, WorkflowVersion.status == PUBLISHED)
        .order_by(WorkflowVersion.version.desc())
        .limit(1)
    )
    _LATEST[process_id] = (stamp, None if version is None else plain_values(version))
    return version


# Content never changes under a hash, so each spec is read from the database once per process.
_SPEC_REFS: dict[str, SpecRef] = {}


def spec_ref(version: WorkflowVersion) -> SpecRef:
    """The spec of a stored version; its large spec_json column is loaded only on the first use."""
    cached = _SPEC_REFS.get(version.content_hash)
    if cached is None:
        cached = _SPEC_REFS[version.content_hash] = SpecRef(version.content_hash, version.spec_json)
    return cached
