"""The audit page: every administrative act in one list, read from the tables each kind of act writes
(user administration, calendars, publishing, case migrations, merges of people's records), newest first,
filtered and paginated."""

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from webapp.domain.audit import AdminAudit
from webapp.domain.people import User
from webapp.domain.publishing import CaseMigration, WorkflowEvent
from webapp.domain.registry import Person, PersonMerge
from webapp.domain.sla import CalendarChange, WorkCalendar
from webapp.domain.text import SafeCsvWriter
from webapp.services.platform.users import require_admin

AREAS = ("users", "calendars", "processes", "migrations", "merges")
PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    area: str = ""  # one of AREAS, or every one
    actor: str = ""  # a username
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    area: str
    kind: str
    actor: str | None
    subject: str


def _sources() -> Any:
    """Every audited change as one (at, area, kind, actor_id, subject) row set."""
    users = _user_changes()
    calendars = select(
        CalendarChange.at,
        literal("calendars"),
        CalendarChange.kind,
        CalendarChange.actor_id,
        cast(WorkCalendar.name, String),
    ).join(WorkCalendar, WorkCalendar.id == CalendarChange.calendar_id)
    processes = select(
        WorkflowEvent.at,
        literal("processes"),
        WorkflowEvent.kind,
        WorkflowEvent.actor_id,
        cast(WorkflowEvent.process_id, String),
    )
    migrations = select(
        CaseMigration.migrated_at,
        literal("migrations"),
        literal("case_migrated"),
        CaseMigration.migrated_by_id,
        cast(CaseMigration.case_id, String),
    )
    return union_all(users, calendars, processes, migrations, _merges()).subquery("audit")


def _user_changes() -> Any:
    """Account changes; their column labels name the columns of the whole union."""
    subject = aliased(User)
    return (
        select(
            AdminAudit.at.label("at"),
            literal("users").label("area"),
            AdminAudit.kind.label("kind"),
            AdminAudit.actor_id.label("actor_id"),
            cast(subject.username, String).label("subject"),
        )
        .select_from(AdminAudit)
        .outerjoin(subject, subject.id == AdminAudit.subject_id)
    )


def _merges() -> Any:
    """Merges of people's records, named by the surviving SPID."""
    survivor = aliased(Person)
    return select(
        PersonMerge.merged_at,
        literal("merges"),
        literal("people_merged"),
        PersonMerge.merged_by_id,
        cast(survivor.spid, String),
    ).join(survivor, survivor.id == PersonMerge.survivor_id)


def audit_entries(
    session: Session, *, actor: User, wanted: AuditFilter, page: int = 0, size: int = PAGE_SIZE
) -> tuple[list[AuditEntry], bool]:
    """One page of entries, and whether there is a next one."""
    require_admin(actor)
    audit = _sources()
    who = aliased(User)
    query = select(audit, who.username).outerjoin(who, who.id == audit.c.actor_id)
    if wanted.area in AREAS:
        query = query.where(audit.c.area == wanted.area)
    if wanted.actor:
        query = query.where(func.lower(who.username) == wanted.actor.strip().lower())
    if wanted.since is not None:
        query = query.where(audit.c.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(audit.c.at < wanted.until)
    rows = session.execute(
        query.order_by(audit.c.at.desc(), audit.c.kind).offset(page * size).limit(size + 1)
    ).all()
    entries = [AuditEntry(row.at, row.area, row.kind, row.username, row.subject or "") for row in rows[:size]]
    return entries, len(rows) > size


def audit_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["at", "area", "kind", "actor", "subject"])
    writer.writerows(
        [e.at.isoformat(timespec="seconds"), e.area, e.kind, e.actor or "", e.subject] for e in entries
    )
    return out.getvalue()
