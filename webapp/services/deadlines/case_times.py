"""Each application case keeps its processing time in whole working days on the government calendar, set
in the flush that closes it, so the monitoring report takes medians in SQL instead of timing thousands of
cases in Python. Migration 0030 backfills the cases closed before."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED, Case
from webapp.domain.sla import DEFAULT_CALENDAR
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.working_clock import WorkingClock


def install() -> None:
    """Times the applications every session closes; safe to call more than once."""
    if not event.contains(Session, "before_flush", _time_closed_cases):
        # First: the flush hook that writes a step's rows at once (casework.events) must find the time set.
        event.listen(Session, "before_flush", _time_closed_cases, insert=True)


def _time_closed_cases(session: Session, _context: Any, _instances: Any) -> None:
    closing = [
        case
        for case in (*session.new, *session.dirty)
        if isinstance(case, Case)
        and case.status == CLOSED
        and case.closed_at is not None
        and case.programme_code is not None
        and case.working_days is None
    ]
    if not closing:
        return
    with session.no_autoflush:
        clock = WorkingClock(load_calendars(session)[DEFAULT_CALENDAR])
        for case in closing:
            assert case.closed_at is not None
            case.working_days = clock.days_between(case.created_at or utcnow(), case.closed_at)
