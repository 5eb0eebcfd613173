"""The read side: inbox lists, case lists and the case page, always cut to the reader's jurisdiction."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from webapp.domain.areas import Area, AreaLevel, within
from webapp.domain.base import utcnow
from webapp.domain.cases import Case, Document
from webapp.domain.history import CaseEvent
from webapp.domain.people import User
from webapp.domain.registry import Programme
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.access import get_case, visible_cases

INBOX_LIMIT = 200


@dataclass(frozen=True)
class Inbox:
    mine: list[Task]
    available: list[Task]
    supervised: list[Task]  # open tasks of the supervisor's area, for reassigning


SLA_FILTERS = ("on_track", "at_risk", "breached")


def inbox(
    session: Session, *, user: User, sla: str | None = None, now: datetime | None = None, sort: str = "due"
) -> Inbox:
    """`sla` keeps only tasks on track, at risk or breached at `now`; `sort` is "due" or "oldest"."""
    base = select(Task).where(Task.status == OPEN).options(joinedload(Task.case))
    base = _sla_filter(base, sla, now or utcnow())
    order = (
        (Task.created_at, Task.id)
        if sort == "oldest"
        else (Task.due_at.is_(None), Task.due_at, Task.created_at)
    )
    mine = session.scalars(base.where(Task.assignee_id == user.id).order_by(*order).limit(INBOX_LIMIT)).all()
    available = session.scalars(
        base.where(Task.assignee_id.is_(None), Task.role == user.role, Task.area_code == user.scope_code)
        .order_by(*order)
        .limit(INBOX_LIMIT)
    ).all()
    supervised: list[Task] = []
    if user.is_supervisor:
        scoped = base.join(Task.case).where(within(Case.area_code, user.scope_code))
        supervised = list(session.scalars(scoped.order_by(*order).limit(INBOX_LIMIT)).all())
    return Inbox(mine=list(mine), available=list(available), supervised=supervised)


def _sla_filter(query: Select[Task], sla: str | None, now: datetime) -> Select[Task]:
    """Due and at-risk moments are stored on the task, so the filter is an indexed comparison."""
    if sla == "breached":
        return query.where(Task.due_at <= now)
    if sla == "at_risk":
        return query.where(Task.at_risk_at <= now, Task.due_at > now)
    if sla == "on_track":
        return query.where(or_(Task.due_at.is_(None), Task.at_risk_at > now))
    return query


def case_list(session: Session, *, user: User, status: str | None = None, limit: int = 100) -> list[Case]:
    query = visible_cases(user).order_by(Case.created_at.desc()).limit(limit)
    if status:
        query = query.where(Case.status == status)
    return list(session.scalars(query).all())


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    after: dict[str, Any]
    before: dict[str, Any]


@dataclass(frozen=True)
class CaseView:
    case: Case
    open_tasks: list[Task]
    past_tasks: list[Task]
    documents: list[Document]
    timeline: list[TimelineEntry]


def case_view(session: Session, *, case_id: int, user: User) -> CaseView:
    case = get_case(session, case_id=case_id, user=user)
    tasks = session.scalars(
        select(Task).where(Task.case_id == case.id).order_by(Task.created_at, Task.id)
    ).all()
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    return CaseView(
        case=case,
        open_tasks=[task for task in tasks if task.status == OPEN],
        past_tasks=[task for task in tasks if task.status != OPEN],
        documents=list(case.documents),
        timeline=[
            TimelineEntry(event, json.loads(event.after_json or "{}"), json.loads(event.before_json or "{}"))
            for event in events
        ],
    )


def villages_for(session: Session, *, user: User) -> list[Area]:
    """Villages an intake officer may choose: those of the officer's commune."""
    return list(
        session.scalars(
            select(Area)
            .where(Area.level == AreaLevel.VILLAGE, within(Area.code, user.scope_code))
            .order_by(Area.code)
        ).all()
    )


def programmes(session: Session) -> list[Programme]:
    return list(session.scalars(select(Programme).where(Programme.active).order_by(Programme.position)).all())


def candidates_for(session: Session, *, task: Task) -> list[User]:
    """Officers a supervisor can hand this task to."""
    users = session.scalars(select(User).where(User.role == task.role, User.active).order_by(User.username))
    return [user for user in users if user.works_on(task.role, task.case.area_code)]


def area_path(session: Session, code: str) -> list[Area]:
    """The area and its parents, province first, for headings such as 'Prasat, Char Chhuk, Angkor Chum'."""
    codes = [code[:n] for n in (2, 4, 6, 8) if len(code) >= n]
    areas = {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(codes)))}
    return [areas[c] for c in codes if c in areas]
