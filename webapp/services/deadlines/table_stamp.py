"""The fingerprint of the tables the deadlines cache what they build from: working calendars, their days off,
the offices' calendars and the SLA policies. One one-row query tells whether a cache still holds; it is read
once per transaction, and read again after the transaction writes one of those tables."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, event, func, select, true
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from webapp.domain.sla import AreaCalendar, CalendarException, SlaPolicyRecord, WorkCalendar
from webapp.services.platform.transaction_memo import forget, remembered, transaction_memo

_WATCHED = (WorkCalendar, CalendarException, AreaCalendar, SlaPolicyRecord)
_WATCHED_TABLES = frozenset(watched.__table__ for watched in _WATCHED)
_KEY = "sala.deadlines.table_stamp"


@dataclass(frozen=True)
class TableStamp:
    calendars: tuple[Any, ...]  # moves with any edit of a calendar, a day off or an office's calendar
    policies: tuple[Any, ...]  # moves with any policy added, removed or edited


def table_stamp(session: Session) -> TableStamp:
    """The tables' fingerprint as this transaction sees them, remembered until it writes one of them."""
    memo = transaction_memo(session, _KEY)
    if "stamp" not in memo:
        row = tuple(session.execute(_FINGERPRINT).one())
        memo["stamp"] = TableStamp(calendars=row[:-3], policies=row[-3:])
    stamp: TableStamp = memo["stamp"]
    return stamp


def _fingerprint() -> Any:
    """Every calendar edit moves the calendar's updated_at, adds or deletes an exception row, or adds,
    deletes or re-points an office row; every policy edit moves its updated_at, adds or deletes a row."""
    calendars = select(func.count(), func.max(WorkCalendar.updated_at), func.sum(WorkCalendar.id)).subquery()
    days = select(
        func.count(),
        func.max(CalendarException.id),
        func.sum(CalendarException.id),
        func.min(CalendarException.day),
        func.max(CalendarException.day),
        func.sum(case((CalendarException.working, 1), else_=0)),
    ).subquery()
    offices = select(
        func.count(),
        func.sum(AreaCalendar.calendar_id),
        func.min(AreaCalendar.area_code),
        func.max(AreaCalendar.area_code),
    ).subquery()
    policies = select(
        func.count(), func.sum(SlaPolicyRecord.id), func.max(SlaPolicyRecord.updated_at)
    ).subquery()
    return select(calendars, days, offices, policies).select_from(
        calendars.join(days, true()).join(offices, true()).join(policies, true())
    )


_FINGERPRINT = _fingerprint()  # built once: building it costs more than the database's answer


@event.listens_for(Session, "after_flush")
def _forget_after_own_edit(session: Session, _context: UOWTransaction) -> None:
    if remembered(session, _KEY) and _any_watched([*session.new, *session.dirty, *session.deleted]):
        forget(session, _KEY)


@event.listens_for(Session, "do_orm_execute")
def _forget_after_statement(state: ORMExecuteState) -> None:
    """A statement that writes a watched table, or one whose table is unknown (text), forgets the stamp."""
    if state.is_select or not remembered(state.session, _KEY):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table in _WATCHED_TABLES:
        forget(state.session, _KEY)


def _any_watched(objects: Iterable[object]) -> bool:
    return any(isinstance(instance, _WATCHED) for instance in objects)
