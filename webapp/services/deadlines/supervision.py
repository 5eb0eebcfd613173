"""What a supervisor watches: every open task of their area that is at risk or past its deadline."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task

WATCH_LIMIT = 500


def tasks_at_risk(session: Session, *, user: User, now: datetime) -> list[Task]:
    """At-risk and breached open tasks of the supervisor's area, the most overdue first."""
    if not user.is_supervisor:
        raise NotFound(N_("Not found."))
    query = (
        select(Task)
        .join(Task.case)
        .where(Task.status == OPEN, Task.at_risk_at <= now)
        .options(joinedload(Task.case))
        .order_by(Task.due_at, Task.id)
        .limit(WATCH_LIMIT)
    )
    query = query.where(within(Case.area_code, user.scope_code))
    return list(session.scalars(query).unique().all())
