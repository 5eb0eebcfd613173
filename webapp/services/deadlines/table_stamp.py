"""The stamp of the tables the deadlines cache what they build from: working calendars, their days off, the
offices' calendars ("calendars") and the SLA policies ("policies"). Database triggers move the counters in
reference_stamp with every write of those tables (migration 0032), inside the writing transaction; one read
of that table (platform/reference_stamp.py, shared with the core's caches) tells whether a cache still holds.
It is read once per transaction, and read again after the transaction writes a watched table."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.sla import CALENDARS_STAMP, POLICIES_STAMP
from webapp.services.platform.reference_stamp import stamp_counters


@dataclass(frozen=True)
class TableStamp:
    calendars: tuple[Any, ...]  # moves with any edit of a calendar, a day off or an office's calendar
    policies: tuple[Any, ...]  # moves with any policy added, removed or edited


def table_stamp(session: Session) -> TableStamp:
    """The tables' stamp as this transaction sees them, remembered until it writes a watched table."""
    counters = stamp_counters(session)
    return TableStamp(calendars=(counters[CALENDARS_STAMP],), policies=(counters[POLICIES_STAMP],))
