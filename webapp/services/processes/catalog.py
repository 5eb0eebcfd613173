"""The read side of process editing: every process with its versions, drafts and recent changes."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.people import User
from webapp.domain.publishing import DRAFT_OPEN, WorkflowDraft, WorkflowEvent
from webapp.domain.workflows import ARCHIVED, PUBLISHED, WorkflowVersion
from webapp.services.casework.listing import (
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Token,
    on_or_after,
    on_or_before,
    read_page,
)
from webapp.services.casework.versions import latest_version
from webapp.services.processes.publishing import require_editor

RECENT_EVENTS = 10
VERSIONS_SHOWN = 5  # per process on the overview; the version list pages through all of them


@dataclass(frozen=True)
class ProcessOverview:
    process_id: str
    name: str
    serving: WorkflowVersion | None  # the version new cases start on
    versions: list[WorkflowVersion]  # newest first
    drafts: list[WorkflowDraft]  # open drafts, newest first
    events: list[WorkflowEvent]  # who changed what and when, newest first


def process_overview(session: Session, *, actor: User) -> list[ProcessOverview]:
    """Every process with its open drafts and its newest versions (all of them: `version_page`)."""
    require_editor(actor)
    drafts = session.scalars(
        select(WorkflowDraft)
        .where(WorkflowDraft.status == DRAFT_OPEN)
        .order_by(WorkflowDraft.updated_at.desc())
    ).all()
    known = set(session.scalars(select(WorkflowVersion.process_id).distinct()))
    overviews = []
    # A process imported from another modeller has a draft before it has any version.
    for process_id in sorted(known | {d.process_id for d in drafts}):
        own = list(
            session.scalars(
                select(WorkflowVersion)
                .where(WorkflowVersion.process_id == process_id)
                .order_by(WorkflowVersion.version.desc())
                .limit(VERSIONS_SHOWN)
            )
        )
        overviews.append(
            ProcessOverview(
                process_id=process_id,
                name=own[0].name if own else process_id,
                serving=latest_version(session, process_id),
                versions=own,
                drafts=[draft for draft in drafts if draft.process_id == process_id],
                events=_recent_events(session, process_id),
            )
        )
    return overviews


VERSION_LIST = ListSpec(
    name="process_versions",
    filters={
        "process": Token(lambda process_id: WorkflowVersion.process_id == process_id),
        "status": Choice((PUBLISHED, ARCHIVED), lambda status: WorkflowVersion.status == status),
        "from": Day(on_or_after(WorkflowVersion.deployed_at)),
        "to": Day(on_or_before(WorkflowVersion.deployed_at)),
    },
    sorts={
        "newest": Sort((), keyset=(WorkflowVersion.deployed_at, WorkflowVersion.id), descending=True),
        "process": Sort((WorkflowVersion.process_id, WorkflowVersion.version.desc())),
    },
    default_sort="newest",
    per_page=25,
)


def version_page(session: Session, *, actor: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """Every stored version of every process, newest first unless sorted otherwise."""
    require_editor(actor)
    return read_page(session, select(WorkflowVersion), listing, now=now)


def process_names(session: Session) -> list[tuple[str, str]]:
    """(process id, English name) of every process that has a version, for a list's process filter."""
    rows = session.execute(
        select(WorkflowVersion.process_id, func.max(WorkflowVersion.name))
        .group_by(WorkflowVersion.process_id)
        .order_by(WorkflowVersion.process_id)
    )
    return [(str(process_id), str(name)) for process_id, name in rows]


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
