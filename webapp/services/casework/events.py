"""Appends case events in the caller's transaction; the timeline reads them back.

An event is added to the session (so the next flush, autoflush, savepoint or commit happens as before) but
the unit of work never writes it: just before each flush, the pending events go out with the step's other
rows in one statement (`step_writer`), or in one plain INSERT of their own (after the flush when it writes a
new case's row: its id was drawn beforehand, and its events must follow it)."""

import json
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.people import User
from webapp.services.casework.step_writer import write_at_once
from webapp.services.platform.transaction_memo import remembered, transaction_memo

_PENDING = "sala.casework.pending_events"
_AFTER_FLUSH = "sala.casework.events_after_flush"
_TABLE = cast(Table, CaseEvent.__table__)
_INSERT = insert(_TABLE)  # built once: every step runs it
_COLUMNS = ("case_id", "actor_id", "kind", "task_name", "before_json", "after_json")


def record_event(
    session: Session,
    *,
    case: Case,
    kind: str,
    actor: User | None,
    task_name: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    recorded = CaseEvent(
        case_id=case.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        task_name=task_name,
        before_json=_dump(before),
        after_json=_dump(after),
    )
    session.add(recorded)
    session.info.setdefault(_PENDING, []).append(recorded)


@event.listens_for(Session, "before_flush")
def _write_pending_events(session: Session, flush: UOWTransaction, _instances: Any) -> None:
    """The events recorded since the last flush, in the order recorded, with the step's rows or as one INSERT;
    taken out of the session so the unit of work skips them (one a rolled-back savepoint dropped is gone)."""
    rows = []
    at = utcnow()
    for pending in session.info.pop(_PENDING, ()):
        if inspect(pending).pending:
            rows.append({"at": at, **{name: getattr(pending, name) for name in _COLUMNS}})
            session.expunge(pending)
    if write_at_once(session, rows, flush) or not rows:
        return
    if any(isinstance(row, Case) for row in session.new):  # a case this flush writes: its events after it
        transaction_memo(session, _AFTER_FLUSH)["rows"] = rows
    else:
        session.connection().execute(_INSERT, rows)


@event.listens_for(Session, "after_flush")
def _write_events_after_their_case(session: Session, _flush: UOWTransaction) -> None:
    if not remembered(session, _AFTER_FLUSH):
        return
    rows = transaction_memo(session, _AFTER_FLUSH).pop("rows", None)
    if rows:
        session.connection().execute(_INSERT, rows)


def _dump(values: Mapping[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
