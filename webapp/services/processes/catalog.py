"""The read side of process editing: every process with its versions, drafts and recent changes."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.people import User
from webapp.domain.publishing import DRAFT_OPEN, WorkflowDraft, WorkflowEvent
from webapp.domain.workflows import PUBLISHED, WorkflowVersion
from webapp.services.casework.versions import latest_version
from webapp.services.processes.publishing import require_editor

RECENT_EVENTS = 10


@dataclass(frozen=True)
class ProcessOverview:
    process_id: str
    name: str
    serving: WorkflowVersion | None  # the version new cases start on
    versions: list[WorkflowVersion]  # newest first
    drafts: list[WorkflowDraft]  # open drafts, newest first
    events: list[WorkflowEvent]  # who changed what and when, newest first


def process_overview(session: Session, *, actor: User) -> list[ProcessOverview]:
    require_editor(actor)
    versions = session.scalars(
        select(WorkflowVersion).order_by(WorkflowVersion.process_id, WorkflowVersion.version.desc())
    ).all()
    drafts = session.scalars(
        select(WorkflowDraft)
        .where(WorkflowDraft.status == DRAFT_OPEN)
        .order_by(WorkflowDraft.updated_at.desc())
    ).all()
    overviews = []
    # A process imported from another modeller has a draft before it has any version.
    for process_id in sorted({v.process_id for v in versions} | {d.process_id for d in drafts}):
        own = [version for version in versions if version.process_id == process_id]
        serving = next((version for version in own if version.status == PUBLISHED), None)
        overviews.append(
            ProcessOverview(
                process_id=process_id,
                name=own[0].name if own else process_id,
                serving=serving,
                versions=own,
                drafts=[draft for draft in drafts if draft.process_id == process_id],
                events=_recent_events(session, process_id),
            )
        )
    return overviews


def latest_version_of(session: Session, process_id: str) -> WorkflowVersion | None:
    """The version new cases of `process_id` start on."""
    return latest_version(session, process_id)


def _recent_events(session: Session, process_id: str) -> list[WorkflowEvent]:
    return list(
        session.scalars(
            select(WorkflowEvent)
            .where(WorkflowEvent.process_id == process_id)
            .order_by(WorkflowEvent.at.desc(), WorkflowEvent.id.desc())
            .limit(RECENT_EVENTS)
        ).all()
    )
