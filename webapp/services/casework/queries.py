"""The read side: inbox lists, case lists and the case page, always cut to the reader's jurisdiction."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session, defer, joinedload, lazyload

from webapp.domain.areas import CODE_LENGTH, Area, AreaLevel, cut_to_level, within
from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED as CASE_CLOSED
from webapp.domain.cases import OPEN as CASE_OPEN
from webapp.domain.cases import Case, Document
from webapp.domain.history import CaseEvent
from webapp.domain.khmer_names import has_khmer, name_key, to_ascii_digits
from webapp.domain.people import ROLES, User
from webapp.domain.registry import Person, Programme
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.access import get_case, visible_cases
from webapp.services.casework.listing import (
    AFTER,
    BEFORE,
    DEADLINE_STATES,
    AreaCode,
    Choice,
    Day,
    Deadline,
    Filter,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    Token,
    on_or_after,
    on_or_before,
    parse_list,
    read_page,
)

INBOX_PAGE = 50  # rows per list and page: an inbox never loads more than one page of each list


@dataclass(frozen=True)
class Inbox:
    mine: list[Task]
    available: list[Task]
    supervised: list[Task]  # open tasks of the supervisor's area, for reassigning
    page: int = 0
    has_next: bool = False  # some list has rows beyond this page


SLA_FILTERS = DEADLINE_STATES


def case_has(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """A task whose case meets `condition` (an EXISTS on the case's primary key)."""
    return Task.case.has(condition)


def reference_matches(text: str) -> ColumnElement[bool]:
    """A case reference containing the typed text, Khmer digits read as digits (references are upper case)."""
    return Case.reference.contains(to_ascii_digits(text).upper(), autoescape=True)


def case_text_matches(text: str) -> ColumnElement[bool]:
    """The reference, or the applicant's name in either script through the registry's matching keys."""
    key = name_key(text)
    column = Person.name_km_key if has_khmer(text) else Person.name_latin_key
    by_name = exists().where(Person.id == Case.person_id, column.contains(key, autoescape=True))
    return or_(reference_matches(text), by_name) if key else reference_matches(text)


def open_at_step(step: str) -> ColumnElement[bool]:
    return exists().where(Task.case_id == Case.id, Task.status == OPEN, Task.spec_name == step)


# The filters every task list shares (the inbox, the deadline page): the case's text, commune and
# programme, the task's step, deadline state and arrival day.
TASK_FILTERS: dict[str, Filter] = {
    "q": Text(lambda text: case_has(case_text_matches(text))),
    "commune": AreaCode(lambda code: case_has(within(Case.area_code, code))),
    "programme": Token(lambda code: case_has(Case.programme_code == code)),
    "step": Token(lambda step: Task.spec_name == step),
    "sla": Deadline(Task.due_at, Task.at_risk_at),
    "from": Day(on_or_after(Task.created_at)),
    "to": Day(on_or_before(Task.created_at)),
}
INBOX_LIST = ListSpec(
    name="inbox",
    filters=TASK_FILTERS,
    sorts={
        "due": Sort((Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id)),
        "oldest": Sort((Task.created_at, Task.id)),
    },
    default_sort="due",
    per_page=INBOX_PAGE,
)


# The case's columns a list row reads, and its version (which a change to the case in the session checks).
CASE_ROW_COLUMNS = (
    Case.reference,
    Case.process_id,
    Case.person_id,
    Case.programme_code,
    Case.area_code,
    Case.status,
    Case.outcome,
    Case.created_at,
    Case.version_id,
)


def task_row_options() -> tuple[Any, ...]:
    """What a row of a task list shows (the case's reference, applicant and programme, the holder), in one
    statement of five tables rather than the eleven the default eager loads join: fewer joins plan faster.
    Only the columns a row shows are read from the case, applicant, programme and holder (a registered
    person has some thirty): the serialized workflow (case_file.state) and a task's submitted values stay in
    the database. Built once: the options are immutable and every list reuses them."""
    return TASK_ROW_OPTIONS


def _task_row_options() -> tuple[Any, ...]:
    case = joinedload(Task.case)
    return (
        defer(Task.submitted_json),
        case.load_only(*CASE_ROW_COLUMNS),
        case.lazyload(Case.area),
        case.lazyload(Case.workflow_version),
        case.joinedload(Case.person).load_only(Person.name_km, Person.name_latin).lazyload(Person.village),
        case.joinedload(Case.programme).load_only(Programme.name),
        joinedload(Task.assignee).load_only(User.full_name).lazyload(User.area),
    )


TASK_ROW_OPTIONS = _task_row_options()


def inbox(
    session: Session,
    *,
    user: User,
    sla: str | None = None,
    now: datetime | None = None,
    sort: str = "due",
    page: int = 0,
    per_page: int = INBOX_PAGE,
    listing: ListQuery | None = None,
) -> Inbox:
    """The inbox's three lists, each filtered by `listing` (else by `sla` and `sort`) in SQL, read in one
    statement: each list picks one page of task ids (open tasks only, from partial indexes on status =
    'open'), and the tasks of all three are loaded together, each row tagged with its list (a supervisor's
    own task is in two lists). The page counts from 0 and `has_next` says whether any list goes on."""
    if listing is None:
        args = {"sla": sla, "sort": sort, "page": str(max(0, page))}
        listing = parse_list(INBOX_LIST, args, per_page=per_page)
    base = select(Task.id).where(Task.status == OPEN, *listing.conditions(now or utcnow()))
    lists = [
        base.where(Task.assignee_id == user.id),
        base.where(Task.assignee_id.is_(None), Task.role == user.role, Task.area_code == user.scope_code),
    ]
    if user.is_supervisor:
        lists.append(open_tasks_of_area(base, user.scope_code))
    found = _inbox_pages(session, lists, INBOX_LIST.sorts[listing.sort].columns, listing)
    size = listing.per_page
    return Inbox(
        mine=found[0][:size],
        available=found[1][:size],
        supervised=found[2][:size],
        page=listing.page,
        has_next=any(len(rows) > size for rows in found),
    )


def _inbox_pages(
    session: Session, lists: list[Select[Any]], order: tuple[Any, ...], listing: ListQuery
) -> list[list[Task]]:
    """One page (and one row more, to know whether another follows) of each list of task ids, as tasks."""
    size = listing.per_page
    pages = []
    for number, ids in enumerate(lists):
        picked = ids.order_by(*order).offset(listing.page * size).limit(size + 1).subquery()
        pages.append(select(picked.c.id, literal_column(str(number)).label("list")))
    listed = union_all(*pages).subquery("listed")
    query = (
        select(Task, listed.c.list)
        .join(listed, listed.c.id == Task.id)
        .options(*TASK_ROW_OPTIONS)
        .order_by(listed.c.list, *order)
    )
    found: list[list[Task]] = [[], [], []]
    for task, number in session.execute(query):
        found[int(number)].append(task)
    return found


def open_tasks_of_area(query: Select[Any], scope_code: str) -> Select[Any]:
    """Open tasks whose case lies in the area: an open task belongs to an open case, and the partial index
    of open cases per area (not every case the area ever had) is where a district's open work starts."""
    if not scope_code:
        return query
    return query.join(Task.case).where(Case.status == CASE_OPEN, within(Case.area_code, scope_code))


def step_choices(session: Session, *, user: User, limit: int = 200) -> list[tuple[str, str]]:
    """The steps (BPMN id, English name) at which the area has open work, for a list's step filter."""
    steps: Select[Any] = select(Task.spec_name, Task.name).where(Task.status == OPEN)  # type: ignore[assignment]
    query = open_tasks_of_area(steps, user.scope_code)
    rows = session.execute(query.distinct().order_by(Task.name, Task.spec_name).limit(limit)).all()
    return [(str(row[0]), str(row[1])) for row in rows]


CASE_PAGE = 50
CASE_LIST = ListSpec(
    name="cases",
    filters={
        "q": Text(case_text_matches),
        "status": Choice((CASE_OPEN, CASE_CLOSED), lambda status: Case.status == status),
        "commune": AreaCode(lambda code: within(Case.area_code, code)),
        "programme": Token(lambda code: Case.programme_code == code),
        "step": Token(open_at_step),
        "sla": Deadline(
            Task.due_at,
            Task.at_risk_at,
            wrap=lambda state: exists().where(Task.case_id == Case.id, Task.status == OPEN, state),
        ),
        "from": Day(on_or_after(Case.created_at)),
        "to": Day(on_or_before(Case.created_at)),
    },
    sorts={
        "newest": Sort((), keyset=(Case.created_at, Case.id), descending=True),
        "oldest": Sort((), keyset=(Case.created_at, Case.id)),
        "reference": Sort((Case.reference, Case.id)),
    },
    default_sort="newest",
    per_page=CASE_PAGE,
)


@dataclass(frozen=True)
class CasePage:
    """One page of the case list with the cursors of the pages around it (newest-first order)."""

    cases: list[Case]
    older: str | None  # cursor of the next page, None on the last page
    newer: str | None  # cursor of the previous page, None on the first page
    page: Page[Case] | None = None  # the links of the pages around, whatever the sort


def case_list(
    session: Session,
    *,
    user: User,
    status: str | None = None,
    limit: int = CASE_PAGE,
    older_than: str | None = None,
    newer_than: str | None = None,
    listing: ListQuery | None = None,
    now: datetime | None = None,
) -> CasePage:
    """The cases of the reader's area filtered by `listing` in SQL, one page at a time (newest first by
    default, keyset on created_at, id; the reference sort pages by offset)."""
    if listing is None:
        args = {"status": status, AFTER: older_than, BEFORE: newer_than}
        listing = parse_list(CASE_LIST, args, per_page=limit)
    rows = _cases_of_reader(user).options(
        defer(Case.state), lazyload(Case.workflow_version), joinedload(Case.person).lazyload(Person.village)
    )  # a row shows the reference, applicant, programme, area, status and date
    found = read_page(session, rows, listing, now=now or utcnow())
    return CasePage(
        found.rows,
        found.next.get(AFTER) if found.next else None,
        found.previous.get(BEFORE) if found.previous else None,
        found,
    )


def _cases_of_reader(user: User) -> Select[Case]:
    """The reader's cases. A district reader's are those whose code starts with the district's four digits,
    asked as exactly that (substr = code), the expression of ix_case_file_district_created, which reads them
    newest first; with the area rule's range beside it PostgreSQL combined both indexes and sorted."""
    scope = user.scope_code
    if len(scope) == CODE_LENGTH[AreaLevel.DISTRICT] and scope.isascii() and scope.isdigit():
        return select(Case).where(func.substr(Case.area_code, 1, len(scope)) == scope)
    return visible_cases(user)


# The case page's tasks: their case is the one just read (no join to it and its eager relations again),
# their holder and who completed them in the same statement, their submitted values left in the database.
CASE_TASK_OPTIONS = (
    lazyload(Task.case),
    defer(Task.submitted_json),
    joinedload(Task.assignee).lazyload(User.area),
    joinedload(Task.completed_by).lazyload(User.area),
)


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
        select(Task)
        .where(Task.case_id == case.id)
        .order_by(Task.created_at, Task.id)
        .options(*CASE_TASK_OPTIONS)
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
