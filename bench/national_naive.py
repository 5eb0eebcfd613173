"""The read queries as they were before the national indexes (commit fb747a5), kept for bench/national.py's
baseline: the prefix LIKE area rule, lists of up to 200 rows, a reassign query per task, reports that load
the area's whole history into Python."""

import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session, joinedload

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel
from webapp.domain.cases import Case
from webapp.domain.grievances import Grievance
from webapp.domain.people import User
from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.domain.tasks import COMPLETED, OPEN, Task
from webapp.services.deadlines.calendars import load_calendars
from webapp.sla.working_time import working_days_between, working_time_between

LIMIT = 200


def within(column: Any, scope_code: str) -> ColumnElement[bool]:
    if not scope_code:
        return true()
    return column.startswith(scope_code, autoescape=True)


def inbox(session: Session, *, user: User, now: datetime) -> list[Task]:
    base = select(Task).where(Task.status == OPEN).options(joinedload(Task.case))
    order = (Task.due_at.is_(None), Task.due_at, Task.created_at)
    rows = list(session.scalars(base.where(Task.assignee_id == user.id).order_by(*order).limit(LIMIT)))
    rows += session.scalars(
        base.where(Task.assignee_id.is_(None), Task.role == user.role, Task.area_code == user.scope_code)
        .order_by(*order)
        .limit(LIMIT)
    ).all()
    if user.is_supervisor:
        scoped = base.join(Task.case).where(within(Case.area_code, user.scope_code))
        rows += session.scalars(scoped.order_by(*order).limit(LIMIT)).all()
    return rows


def case_list(session: Session, *, user: User) -> list[Case]:
    query = select(Case).where(within(Case.area_code, user.scope_code))
    return list(session.scalars(query.order_by(Case.created_at.desc()).limit(100)).unique())


def deadline_page(session: Session, *, user: User, now: datetime) -> int:
    query = (
        select(Task)
        .join(Task.case)
        .where(Task.status == OPEN, Task.at_risk_at <= now, within(Case.area_code, user.scope_code))
        .options(joinedload(Task.case))
        .order_by(Task.due_at, Task.id)
        .limit(500)
    )
    tasks = list(session.scalars(query).unique())
    shown = 0
    for task in tasks:  # one query per task, reading every officer of the role nationally
        same_role = select(User).where(User.role == task.role, User.active)
        users = session.scalars(same_role.order_by(User.username))
        shown += len([u for u in users if u.works_on(task.role, task.case.area_code)])
    return shown


def sla_report(session: Session, *, user: User, scope: str, now: datetime) -> int:
    query = (
        select(Task, Case.process_id)
        .join(Case, Case.id == Task.case_id)
        .where(Task.due_at.is_not(None))
        .where(or_(Task.status == COMPLETED, (Task.status == OPEN) & (Task.due_at <= now)))
        .where(within(Case.area_code, scope))
    )
    calendars = load_calendars(session)
    groups: dict[tuple[str, str, str, str], list[float]] = defaultdict(list)
    for task, process_id in session.execute(query):
        calendar = calendars.get(task.sla_calendar or DEFAULT_CALENDAR) or calendars[DEFAULT_CALENDAR]
        moment = task.completed_at or task.due_at
        month = moment.replace(tzinfo=UTC).astimezone(calendar.zone).strftime("%Y-%m")
        worked = working_time_between(calendar, task.created_at, task.completed_at or now)
        groups[(process_id, task.name, task.area_code, month)].append(worked / timedelta(hours=1))
    return sum(1 for hours in groups.values() if statistics.median(hours) >= 0)


def grievance_report(session: Session, *, user: User, month: date, level: AreaLevel) -> int:
    start = datetime(month.year, month.month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    query = select(Grievance).where(
        or_(Grievance.received_at.between(start, end), Grievance.resolved_at.between(start, end)),
        Grievance.category != "social_security",
        within(Grievance.area_code, user.scope_code),
    )
    calendar = load_calendars(session)["government"]
    received: Counter[str] = Counter()
    days: dict[str, list[int]] = defaultdict(list)
    for grievance in session.scalars(query):
        code = grievance.area_code[: CODE_LENGTH[level]]
        session.get(Area, code)  # the name, one lookup per area row
        received[code] += int(start <= grievance.received_at < end)
        if grievance.resolved_at is not None and start <= grievance.resolved_at < end:
            days[code].append(working_days_between(calendar, grievance.received_at, grievance.resolved_at))
    return len(received) + sum(len(d) for d in days.values())
