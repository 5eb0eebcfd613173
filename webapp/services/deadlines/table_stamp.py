"""The stamp of the tables the deadlines cache what they build from: working calendars, their days off, the
offices' calendars ("calendars") and the SLA policies ("policies"). Database triggers move the counters in
reference_stamp with every write of those tables (migration 0032), inside the writing transaction; one read
of that two-row table tells whether a cache still holds. It is read once per transaction, and read again after
the transaction writes one of those tables (its triggers have moved the counter it must now see)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from webapp.domain.sla import (
    CALENDARS_STAMP,
    POLICIES_STAMP,
    AreaCalendar,
    CalendarException,
    ReferenceStamp,
    SlaPolicyRecord,
    WorkCalendar,
)
from webapp.services.platform.transaction_memo import forget, remembered, transaction_memo

_WATCHED = (WorkCalendar, CalendarException, AreaCalendar, SlaPolicyRecord)
_WATCHED_TABLES = frozenset(watched.__table__ for watched in _WATCHED)
_KEY = "sala.deadlines.table_stamp"


@dataclass(frozen=True)
class TableStamp:
    calendars: tuple[Any, ...]  # moves with any edit of a calendar, a day off or an office's calendar
    policies: tuple[Any, ...]  # moves with any policy added, removed or edited


def table_stamp(session: Session) -> TableStamp:
    """The tables' stamp as this transaction sees them, remembered until it writes one of them."""
    memo = transaction_memo(session, _KEY)
    if "stamp" not in memo:
        counters = {name: counter for name, counter in session.execute(_COUNTERS)}
        memo["stamp"] = TableStamp(
            calendars=(counters[CALENDARS_STAMP],), policies=(counters[POLICIES_STAMP],)
        )
    stamp: TableStamp = memo["stamp"]
    return stamp


# Built once: building it costs more than the database's answer. The table holds the two rows and no other.
_COUNTERS = select(ReferenceStamp.name, ReferenceStamp.counter)


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
