"""The read side: inbox lists, case lists and the case page, always cut to the reader's jurisdiction."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from webapp.domain.areas import Area, AreaLevel, cut_to_level, within
from webapp.domain.base import utcnow
from webapp.domain.cases import OPEN as CASE_OPEN
from webapp.domain.cases import Case, Document
from webapp.domain.history import CaseEvent
from webapp.domain.people import ROLES, User
from webapp.domain.registry import Programme
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.access import get_case, visible_cases

INBOX_PAGE = 50  # rows per list and page: an inbox never loads more than one page of each list


@dataclass(frozen=True)
class Inbox:
    mine: list[Task]
    available: list[Task]
    supervised: list[Task]  # open tasks of the supervisor's area, for reassigning
    page: int = 0
    has_next: bool = False  # some list has rows beyond this page


SLA_FILTERS = ("on_track", "at_risk", "breached")


def inbox(
    session: Session,
    *,
    user: User,
    sla: str | None = None,
    now: datetime | None = None,
    sort: str = "due",
    page: int = 0,
    per_page: int = INBOX_PAGE,
) -> Inbox:
    """`sla` keeps only tasks on track, at risk or breached at `now`; `sort` is "due" or "oldest".

    Each list reads open tasks only (partial indexes on status = 'open') and one page of them: `page` counts
    from 0 and `has_next` says whether any list goes on.
    """
    page = max(0, page)
    base = select(Task).where(Task.status == OPEN).options(joinedload(Task.case))
    base = _sla_filter(base, sla, now or utcnow())
    order = (
        (Task.created_at, Task.id)
        if sort == "oldest"
        else (Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)
    )

    def one_page(query: Select[Task]) -> tuple[list[Task], bool]:
        rows = list(
            session.scalars(query.order_by(*order).offset(page * per_page).limit(per_page + 1)).unique()
        )
        return rows[:per_page], len(rows) > per_page

    mine, more_mine = one_page(base.where(Task.assignee_id == user.id))
    available, more_available = one_page(
        base.where(Task.assignee_id.is_(None), Task.role == user.role, Task.area_code == user.scope_code)
    )
    supervised: list[Task] = []
    more_supervised = False
    if user.is_supervisor:
        supervised, more_supervised = one_page(open_tasks_of_area(base, user.scope_code))
    return Inbox(
        mine=mine,
        available=available,
        supervised=supervised,
        page=page,
        has_next=more_mine or more_available or more_supervised,
    )


def open_tasks_of_area(query: Select[Task], scope_code: str) -> Select[Task]:
    """Open tasks whose case lies in the area: an open task belongs to an open case, and the partial index
    of open cases per area (not every case the area ever had) is where a district's open work starts."""
    if not scope_code:
        return query
    return query.join(Task.case).where(Case.status == CASE_OPEN, within(Case.area_code, scope_code))


def _sla_filter(query: Select[Task], sla: str | None, now: datetime) -> Select[Task]:
    """Due and at-risk moments are stored on the task, so the filter is an indexed comparison."""
    if sla == "breached":
        return query.where(Task.due_at <= now)
    if sla == "at_risk":
        return query.where(Task.at_risk_at <= now, Task.due_at > now)
    if sla == "on_track":
        return query.where(or_(Task.due_at.is_(None), Task.at_risk_at > now))
    return query


CASE_PAGE = 50


@dataclass(frozen=True)
class CasePage:
    """One page of the case list, newest first, with the cursors of the pages around it."""

    cases: list[Case]
    older: str | None  # cursor of the next page (older cases), None on the last page
    newer: str | None  # cursor of the previous page (newer cases), None on the first page


def case_list(
    session: Session,
    *,
    user: User,
    status: str | None = None,
    limit: int = CASE_PAGE,
    older_than: str | None = None,
    newer_than: str | None = None,
) -> CasePage:
    """The cases of the reader's area, newest first, one page at a time (keyset on created_at, id)."""
    query = visible_cases(user)
    if status:
        query = query.where(Case.status == status)
    key = tuple_(Case.created_at, Case.id)
    newer_cursor = _cursor_key(newer_than)
    older_cursor = _cursor_key(older_than)
    if newer_cursor is not None:  # the previous page: read upwards, then show newest first
        rows = list(
            session.scalars(
                query.where(key > tuple_(*newer_cursor)).order_by(Case.created_at, Case.id).limit(limit + 1)
            ).unique()
        )
        has_newer = len(rows) > limit
        cases = list(reversed(rows[:limit]))
        return CasePage(
            cases, _cursor(cases[-1]) if cases else None, _cursor(cases[0]) if has_newer else None
        )
    if older_cursor is not None:
        query = query.where(key < tuple_(*older_cursor))
    rows = list(
        session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit + 1)).unique()
    )
    cases = rows[:limit]
    older = _cursor(cases[-1]) if len(rows) > limit else None
    newer = _cursor(cases[0]) if older_cursor is not None and cases else None
    return CasePage(cases, older, newer)


def _cursor(case: Case) -> str:
    return f"{case.created_at.isoformat()}_{case.id}"


def _cursor_key(cursor: str | None) -> tuple[datetime, int] | None:
    """A cursor from a link; anything malformed reads as no cursor (the first page)."""
    if not cursor:
        return None
    moment, _, number = cursor.rpartition("_")
    try:
        return datetime.fromisoformat(moment), int(number)
    except ValueError:
        return None


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


@dataclass(frozen=True)
class Candidate:
    """An officer a supervisor can hand a task to, with the open tasks they already hold."""

    id: int
    username: str
    full_name: str
    open_tasks: int


def candidates_for(session: Session, *, task: Task) -> list[Candidate]:
    """Officers a supervisor can hand this task to."""
    return candidates_for_tasks(session, tasks=[task])[task.id]


def candidates_for_tasks(session: Session, *, tasks: list[Task]) -> dict[int, list[Candidate]]:
    """The candidates of every task of a page in one statement: the active holders of the task's role in
    the task's area cut to the role's level (the rule of `User.works_on`), each with their open load."""
    office = {task.id: (task.role, _office(task)) for task in tasks}
    wanted = set(office.values())
    found: dict[tuple[str, str], list[Candidate]] = {pair: [] for pair in wanted}
    if wanted:
        load = (
            select(func.count())
            .select_from(Task)
            .where(Task.status == OPEN, Task.assignee_id == User.id)
            .scalar_subquery()
        )
        area = func.coalesce(User.area_code, "")
        rows = session.execute(
            select(User.id, User.username, User.full_name, User.role, area, load)
            .where(User.active, or_(*(and_(User.role == role, area == code) for role, code in wanted)))
            .order_by(User.username)
        )
        for user_id, username, full_name, role, code, open_tasks in rows:
            found[(role, code)].append(Candidate(user_id, username, full_name, open_tasks))
    return {task_id: found[pair] for task_id, pair in office.items()}


def _office(task: Task) -> str:
    role = ROLES.get(task.role)
    return cut_to_level(task.case.area_code, role.level) if role else "\0"


def area_path(session: Session, code: str) -> list[Area]:
    """The area and its parents, province first, for headings such as 'Prasat, Char Chhuk, Angkor Chum'."""
    codes = [code[:n] for n in (2, 4, 6, 8) if len(code) >= n]
    areas = {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(codes)))}
    return [areas[c] for c in codes if c in areas]
