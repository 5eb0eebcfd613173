"""The grievance list: the area's grievances filtered and sorted in SQL, one page at a time, each with the
complainant as the reader may see them. Only references are searched: a complainant's name is confidential."""

from datetime import datetime

from sqlalchemy import exists
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.grievances import CATEGORIES, STATUSES, Grievance
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.listing import (
    AreaCode,
    Choice,
    Day,
    Deadline,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    on_or_after,
    on_or_before,
    parse_list,
    read_page,
)
from webapp.services.grievances.confidentiality import Complainant, complainant_for, visible_grievances

EXPORT_LIMIT = 500
GRIEVANCE_LIST = ListSpec(
    name="grievances",
    filters={
        "q": Text(lambda text: Grievance.reference.contains(to_ascii_digits(text).upper(), autoescape=True)),
        "commune": AreaCode(lambda code: within(Grievance.area_code, code)),
        "status": Choice(tuple(STATUSES), lambda status: Grievance.status == status),
        "category": Choice(tuple(CATEGORIES), lambda category: Grievance.category == category),
        "level": Choice(("1", "2"), lambda level: Grievance.level == int(level)),
        "sla": Deadline(
            Task.due_at,
            Task.at_risk_at,
            wrap=lambda state: exists().where(Task.case_id == Grievance.case_id, Task.status == OPEN, state),
        ),
        "from": Day(on_or_after(Grievance.received_at)),
        "to": Day(on_or_before(Grievance.received_at)),
    },
    sorts={
        "newest": Sort((), keyset=(Grievance.received_at, Grievance.id), descending=True),
        "oldest": Sort((), keyset=(Grievance.received_at, Grievance.id)),
    },
    default_sort="newest",
)

Row = tuple[Grievance, Complainant]


def grievance_page(
    session: Session, *, user: User, now: datetime, listing: ListQuery | None = None
) -> Page[Row]:
    listing = listing or parse_list(GRIEVANCE_LIST, {})
    found = read_page(session, visible_grievances(user), listing, now=now)
    rows = [(g, complainant_for(session, grievance=g, viewer=user)) for g in found.rows]
    return Page(rows, found.next, found.previous)


def grievance_export(session: Session, *, user: User, now: datetime, listing: ListQuery) -> list[Row]:
    """The filtered list for a CSV file, newest first, at most EXPORT_LIMIT rows."""
    query = (
        visible_grievances(user)
        .where(*listing.conditions(now))
        .order_by(Grievance.received_at.desc(), Grievance.id.desc())
        .limit(EXPORT_LIMIT)
    )
    return [(g, complainant_for(session, grievance=g, viewer=user)) for g in session.scalars(query)]
