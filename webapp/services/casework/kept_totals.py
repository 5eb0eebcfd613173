"""The monitoring report's kept totals, kept in the transaction that changes what they count
(the cases' working days are kept by deadlines/case_times.py).

- `monitoring_total` holds the registered population (live people by village and month of registration) and
  each programme's enrolment (a person's first approval in the programme, by the case's village and month of
  decision), at every level of the gazetteer: the report of the nation sums a few hundred rows where it
  counted every person and every approval in history.

Session events (installed by `install`) see every person and case the ORM writes; a merge, which moves
cases between people with bulk statements, takes the two people's enrolments out before and puts the
survivor's back after (`unmerge_enrolments` / `merge_enrolments`); a bulk INSERT of people calls
`count_new_people`. Migration 0030 backfills the totals.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, event, func, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, attributes

from webapp.domain.areas import within
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.clock import local_date
from webapp.domain.monitoring import LEVEL_DIGITS, POPULATION, MonitoringTotal
from webapp.domain.programme_use import APPLICATION_APPROVED
from webapp.domain.registry import Person

Key = tuple[str, str, date]  # area code (village), programme code (POPULATION for people), month


def month_of(moment: datetime) -> date:
    """The first day of the Cambodian month of a naive UTC instant: the totals' period."""
    return local_date(moment).replace(day=1)


def install() -> None:
    """Keeps the totals on every session; safe to call more than once."""
    if not event.contains(Session, "after_flush", _count_changes):
        event.listen(Session, "after_flush", _count_changes)


def count_new_people(session: Session, people: Iterable[Person]) -> None:
    """People written by a bulk INSERT (which the session's flush does not see) enter the population."""
    changes: Counter[Key] = Counter()
    for person in people:
        if person.merged_into_id is None:
            changes[_person_key(person.village_code, person.created_at)] += 1
    _apply(session, changes)


def totals(session: Session, *, scope: str, digits: int, end: datetime) -> list[tuple[str, str, int]]:
    """(area, programme or POPULATION, count) of the areas of `digits` digits inside `scope`, counted
    before `end` (a month boundary in Cambodia)."""
    rows = session.execute(
        select(MonitoringTotal.area_code, MonitoringTotal.programme_code, func.sum(MonitoringTotal.count))
        .where(
            MonitoringTotal.digits == digits,
            within(MonitoringTotal.area_code, scope),
            MonitoringTotal.month < month_of(end),
        )
        .group_by(MonitoringTotal.area_code, MonitoringTotal.programme_code)
    )
    return [(str(area), str(programme), int(count or 0)) for area, programme, count in rows]


def _count_changes(session: Session, _context: Any) -> None:
    changes: Counter[Key] = Counter()
    for person in session.new:
        if isinstance(person, Person) and person.merged_into_id is None:
            changes[_person_key(person.village_code, person.created_at)] += 1
    for person in session.dirty:
        if isinstance(person, Person):
            _count_person_change(person, changes)
    for person in session.deleted:
        if isinstance(person, Person):
            before = _states(person)[0]
            if before is not None:
                changes[before] -= 1
    _count_approvals(session, changes)
    _apply(session, changes)


def _count_approvals(session: Session, changes: Counter[Key]) -> None:
    """A person's first approval in a programme enrols them (one per person and programme in a flush)."""
    approved = [c for c in (*session.new, *session.dirty) if isinstance(c, Case) and _newly_approved(c)]
    ids = [case.id for case in approved]
    seen: set[tuple[int, str]] = set()
    for case in sorted(approved, key=lambda c: (c.closed_at or utcnow(), c.id)):
        if (case.person_id, case.programme_code) in seen or _approved_before(session, case, ids):
            continue
        seen.add((case.person_id, case.programme_code))
        changes[(case.area_code, case.programme_code, month_of(case.closed_at or utcnow()))] += 1


def _person_key(village: str | None, created_at: datetime | None) -> Key:
    return (village or "", POPULATION, month_of(created_at or utcnow()))


def _states(person: Person) -> tuple[Key | None, Key | None]:
    """The person's population key before and after this flush (None when not counted: merged)."""
    values = {}
    for name in ("village_code", "merged_into_id", "created_at"):
        added, unchanged, deleted = attributes.get_history(person, name)
        old = deleted[0] if deleted else (unchanged[0] if unchanged else (added[0] if added else None))
        values[name] = (old, added[0] if added else old)
    keys = tuple(
        None
        if values["merged_into_id"][side] is not None
        else _person_key(values["village_code"][side], values["created_at"][side])
        for side in (0, 1)
    )
    return keys[0], keys[1]


def _count_person_change(person: Person, changes: Counter[Key]) -> None:
    before, after = _states(person)
    if before == after:
        return
    if before is not None:
        changes[before] -= 1
    if after is not None:
        changes[after] += 1


def _newly_approved(case: Case) -> bool:
    added, _unchanged, _deleted = attributes.get_history(case, "outcome")
    return (
        APPLICATION_APPROVED in added
        and case.programme_code is not None
        and case.person_id is not None
        and case.closed_at is not None
    )


def _approved_before(session: Session, case: Case, flushed: list[int]) -> bool:
    """The person already had an approval in the programme (the first one is what the totals count)."""
    found = session.connection().execute(
        _APPROVED_BEFORE,
        {"person_id": case.person_id, "programme_code": case.programme_code, "flushed": flushed},
    )
    return found.first() is not None


def _approved_before_statement() -> Select[tuple[int]]:
    """Built once, on the bare table: a closing step asks it without compiling an ORM query."""
    cases = cast(Table, Case.__table__)
    return (
        select(cases.c.id)
        .where(
            cases.c.person_id == bindparam("person_id"),
            cases.c.programme_code == bindparam("programme_code"),
            cases.c.outcome == APPLICATION_APPROVED,
            cases.c.id.not_in(bindparam("flushed", expanding=True)),
        )
        .limit(1)
    )


_APPROVED_BEFORE = _approved_before_statement()


def unmerge_enrolments(session: Session, person_ids: Iterable[int]) -> None:
    """Takes the people's enrolments out of the totals (before their cases move to another person)."""
    _apply(session, Counter({key: -count for key, count in _first_approvals(session, person_ids).items()}))


def merge_enrolments(session: Session, person_ids: Iterable[int]) -> None:
    """Puts the people's enrolments (their first approval in each programme) back into the totals."""
    _apply(session, _first_approvals(session, person_ids))


def _first_approvals(session: Session, person_ids: Iterable[int]) -> Counter[Key]:
    firsts: dict[tuple[int, str], tuple[datetime, int, str]] = {}
    for person, programme, closed, case_id, area in session.execute(
        select(Case.person_id, Case.programme_code, Case.closed_at, Case.id, Case.area_code).where(
            Case.person_id.in_(list(person_ids)),
            Case.outcome == APPLICATION_APPROVED,
            Case.programme_code.is_not(None),
            Case.closed_at.is_not(None),
        )
    ):
        seen = firsts.get((person, programme))
        if closed is not None and (seen is None or (closed, case_id) < seen[:2]):
            firsts[(person, programme)] = (closed, case_id, area)
    return Counter(
        (area, programme, month_of(closed)) for (_p, programme), (closed, _i, area) in firsts.items()
    )


def _apply(session: Session, changes: Counter[Key]) -> None:
    """Adds each change to its rows at every level, in one order (two transactions cannot deadlock)."""
    values = [
        {"area_code": a, "programme_code": p, "month": m, "digits": len(a), "count": n}
        for (a, p, m), n in sorted(_at_every_level(changes).items())
    ]
    if values:
        session.connection().execute(_upsert(session), values)


def _upsert(session: Session) -> Any:
    return _UPSERTS[session.get_bind().dialect.name == "postgresql"]


def _upsert_statement(insert: Any) -> Any:
    """Built once per dialect: every registration and approval runs it, and building it cost more than it."""
    statement = insert(MonitoringTotal.__table__)
    return statement.on_conflict_do_update(
        index_elements=["area_code", "programme_code", "month"],
        set_={"count": MonitoringTotal.__table__.c.count + statement.excluded["count"]},
    )


_UPSERTS = {True: _upsert_statement(postgres_insert), False: _upsert_statement(sqlite_insert)}


def recount(session: Session) -> dict[tuple[str, str, date], int]:
    """The totals counted again from the people and cases (what the kept rows must equal): for tests."""
    counted: Counter[Key] = Counter()
    for village, created in session.execute(
        select(Person.village_code, Person.created_at).where(Person.merged_into_id.is_(None))
    ):
        counted[_person_key(village, created)] += 1
    people = session.scalars(select(Case.person_id).where(_approval()).distinct())
    counted.update(_first_approvals(session, [p for p in people if p is not None]))
    return _at_every_level(counted)


def kept(session: Session) -> dict[tuple[str, str, date], int]:
    """The kept rows that count something."""
    return dict(
        {
            (area, programme, month): count
            for area, programme, month, count in session.execute(
                select(
                    MonitoringTotal.area_code,
                    MonitoringTotal.programme_code,
                    MonitoringTotal.month,
                    MonitoringTotal.count,
                )
            )
            if count
        }
    )


def _approval() -> ColumnElement[bool]:
    return and_(Case.outcome == APPLICATION_APPROVED, Case.programme_code.is_not(None))


def _at_every_level(counted: Counter[Key]) -> dict[tuple[str, str, date], int]:
    """Each (village, programme, month) count added to its province's, district's, commune's and own row."""
    rows: Counter[tuple[str, str, date]] = Counter()
    for (area, programme, month), n in counted.items():
        for digits in LEVEL_DIGITS:
            if len(area) >= digits:
                rows[(area[:digits], programme, month)] += n
    return {key: n for key, n in rows.items() if n}
