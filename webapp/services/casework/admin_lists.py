"""The administrator's lists on the shared list machinery: officers' accounts and the jobs the worker gave
up on, each filtered in SQL and read one page at a time."""

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import literal, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from webapp.domain.areas import within
from webapp.domain.jobs import FAILED, Job
from webapp.domain.people import ROLES, User
from webapp.services.casework.listing import (
    PAGE,
    AreaCode,
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    Token,
    day_start,
    on_or_after,
    on_or_before,
    read_page,
)
from webapp.services.platform.audit import AREAS, PAGE_SIZE, AuditEntry, AuditFilter, audit_entries
from webapp.services.platform.users import require_admin

ACCOUNT_STATES = ("active", "deactivated")
USER_LIST = ListSpec(
    name="accounts",
    filters={
        "q": Text(
            lambda text: or_(
                User.username.icontains(text, autoescape=True),
                User.full_name.icontains(text, autoescape=True),
            )
        ),
        "role": Choice(tuple(ROLES), lambda role: User.role == role),
        "area": AreaCode(lambda code: within(cast(QueryableAttribute[str], User.area_code), code)),
        "state": Choice(ACCOUNT_STATES, lambda state: User.active.is_(state == "active")),
    },
    sorts={
        "username": Sort((User.active.desc(), User.username)),
        "newest": Sort((User.id.desc(),)),
    },
    default_sort="username",
)


def account_page(session: Session, *, actor: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """Officers' accounts, active ones first by username unless sorted otherwise."""
    require_admin(actor)
    return read_page(session, select(User), listing, now=now)


JOB_LIST = ListSpec(
    name="failed_jobs",
    filters={
        "kind": Token(lambda kind: Job.kind == kind),
        "from": Day(on_or_after(Job.created_at)),
        "to": Day(on_or_before(Job.created_at)),
    },
    sorts={"newest": Sort((Job.finished_at.desc(), Job.id.desc()))},
    default_sort="newest",
    per_page=25,
)


def failed_job_page(session: Session, *, actor: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """The jobs the worker gave up on, newest first: each with its kind, attempts and last error."""
    require_admin(actor)
    return read_page(session, select(Job).where(Job.status == FAILED), listing, now=now)


def _parsed_only(value: object) -> Any:
    """The audit reads its filters in its own union query (below): the machinery parses them and keeps them
    in links, the query applies them."""
    return literal(True)


AUDIT_LIST = ListSpec(
    name="audit",
    filters={
        "area": Choice(AREAS, _parsed_only),
        "actor": Text(_parsed_only, longest=80),
        "from": Day(_parsed_only),
        "to": Day(_parsed_only),
    },
    sorts={"newest": Sort(())},
    default_sort="newest",
    per_page=PAGE_SIZE,
)


def audit_page(
    session: Session, *, actor: User, listing: ListQuery, size: int | None = None
) -> Page[AuditEntry]:
    """One page of the administrative acts, newest first, filtered by kind, person and Cambodian days."""
    values = listing.values
    wanted = AuditFilter(
        area=values.get("area", ""),
        actor=values.get("actor", ""),
        since=day_start(values["from"]) if "from" in values else None,
        until=day_start(values["to"] + timedelta(days=1)) if "to" in values else None,
    )
    page = 0 if size else listing.page
    entries, more = audit_entries(
        session, actor=actor, wanted=wanted, page=page, size=size or listing.per_page
    )
    return Page(entries, {PAGE: str(page + 1)} if more else None, {PAGE: str(page - 1)} if page else None)
