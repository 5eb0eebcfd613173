"""What a supervisor watches: every open task of their area that is at risk or past its deadline."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.listing import Deadline, ListQuery, ListSpec, Page, Sort, parse_list, read_page
from webapp.services.casework.queries import TASK_FILTERS, open_tasks_of_area, task_row_options

WATCH_LIMIT = 50
# The inbox's filters, the deadline state narrowed to the two states this page shows.
WATCH_LIST = ListSpec(
    name="watch",
    filters={**TASK_FILTERS, "sla": Deadline(Task.due_at, Task.at_risk_at, states=("at_risk", "breached"))},
    sorts={
        "due": Sort((Task.due_at, Task.id)),
        "oldest": Sort((Task.created_at, Task.id)),
    },
    default_sort="due",
    per_page=WATCH_LIMIT,
)


def watch_page(
    session: Session, *, user: User, now: datetime, listing: ListQuery | None = None
) -> Page[Task]:
    """One page of the at-risk and breached open tasks of the supervisor's area, the most overdue first."""
    if not user.is_supervisor:
        raise NotFound(N_("Not found."))
    listing = listing or parse_list(WATCH_LIST, {})
    query = select(Task).where(Task.status == OPEN, Task.at_risk_at <= now).options(*task_row_options())
    return read_page(session, open_tasks_of_area(query, user.scope_code), listing, now=now)


def tasks_at_risk(session: Session, *, user: User, now: datetime) -> list[Task]:
    """The first page of the watch list, unfiltered."""
    return watch_page(session, user=user, now=now).rows
