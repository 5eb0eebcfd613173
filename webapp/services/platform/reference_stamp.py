"""The counters of reference_stamp as one transaction sees them: one statement reads every row (calendars,
policies, programmes, workflows, business rules, accounts), once per transaction, and again after the
transaction writes one of the watched tables (the triggers of migrations 0032 to 0035 have moved the counter
it must now see). Each layer that keeps rows in memory checks them against its own counter: the deadlines
their calendars and policies, the core the programmes and the version new cases start on, the platform the
business figures and the signed-in accounts."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from webapp.domain.people import User
from webapp.domain.registry import BusinessRule, Programme
from webapp.domain.sla import AreaCalendar, CalendarException, ReferenceStamp, SlaPolicyRecord, WorkCalendar
from webapp.domain.workflows import WorkflowVersion
from webapp.services.platform.transaction_memo import forget, remembered, transaction_memo

_WATCHED = (
    WorkCalendar,
    CalendarException,
    AreaCalendar,
    SlaPolicyRecord,
    Programme,
    WorkflowVersion,
    BusinessRule,
    User,
)
_WATCHED_TABLES = frozenset(watched.__table__ for watched in _WATCHED)
_KEY = "sala.platform.reference_stamp"

# Built once: building it costs more than the database's answer. The table holds only the stamps' rows.
_COUNTERS = select(ReferenceStamp.name, ReferenceStamp.counter)


def stamp_counters(session: Session) -> Mapping[str, Any]:
    """Every stamp's counter as this transaction sees them, remembered until it writes a watched table."""
    memo = transaction_memo(session, _KEY)
    if "counters" not in memo:
        memo["counters"] = {name: counter for name, counter in session.execute(_COUNTERS)}
    counters: Mapping[str, Any] = memo["counters"]
    return counters


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
