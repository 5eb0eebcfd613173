"""What a supervisor watches: every open task of their area that is at risk or past its deadline."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.queries import open_tasks_of_area

WATCH_LIMIT = 500


def tasks_at_risk(session: Session, *, user: User, now: datetime) -> list[Task]:
    """At-risk and breached open tasks of the supervisor's area, the most overdue first."""
    if not user.is_supervisor:
        raise NotFound(N_("Not found."))
    query = (
        select(Task)
        .where(Task.status == OPEN, Task.at_risk_at <= now)
        .options(joinedload(Task.case))
        .order_by(Task.due_at, Task.id)
        .limit(WATCH_LIMIT)
    )
    return list(session.scalars(open_tasks_of_area(query, user.scope_code)).unique().all())
