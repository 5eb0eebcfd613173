"""The administrator's lists on the shared list machinery: officers' accounts and the jobs the worker gave
up on, each filtered in SQL and read one page at a time."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from webapp.domain.areas import within
from webapp.domain.jobs import FAILED, Job
from webapp.domain.people import ROLES, User
from webapp.services.casework.listing import (
    AreaCode,
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    Token,
    on_or_after,
    on_or_before,
    read_page,
)
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
