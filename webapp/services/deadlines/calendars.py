"""Working calendars from the database: which calendar an office uses, and the book script helpers read."""

import json
import threading
import time as wall
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from webapp.domain.base import utcnow
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.sla import DEFAULT_CALENDAR, AreaCalendar, WorkCalendar
from webapp.engine import STEP_STARTED_AT, ProcessEngine
from webapp.services.deadlines.table_stamp import table_stamp
from webapp.sla import WorkingCalendar, add_working_time, build_calendar
from webapp.sla.calendar import standard_calendars


class CalendarUnknown(NotFound):
    message = N_("There is no calendar named %(name)s.")


def to_working_calendar(row: WorkCalendar) -> WorkingCalendar:
    weekly = {
        int(day): [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in periods]
        for day, periods in json.loads(row.weekly_json).items()
    }
    return build_calendar(
        row.name,
        weekly,
        timezone=row.timezone,
        public_holidays=row.public_holidays,
        days_off={e.day: e.reason for e in row.exceptions if not e.working},
        working_days={e.day: e.reason for e in row.exceptions if e.working},
    )


def load_calendars(session: Session) -> dict[str, WorkingCalendar]:
    """Every calendar as the session's transaction sees it: built once per state of the calendar tables
    (their stamp, read once per transaction, tells which), since building one computes years of public
    holidays."""
    return dict(_calendar_tables(session).calendars)


def calendar_name_for(session: Session, area_code: str) -> str:
    """The calendar of the office whose area is the longest prefix of `area_code`; else the government's."""
    by_code = _calendar_tables(session).offices
    prefixes = [area_code[:n] for n in (8, 6, 4, 2) if len(area_code) >= n]
    return next((by_code[code] for code in prefixes if code in by_code), DEFAULT_CALENDAR)


@dataclass(frozen=True)
class _CalendarTables:
    calendars: Mapping[str, WorkingCalendar]
    offices: Mapping[str, str]  # area code -> calendar name


_TABLES: dict[tuple[Any, ...], _CalendarTables] = {}
_TABLES_LOCK = threading.Lock()
_TABLES_KEPT = 8


def _calendar_tables(session: Session) -> _CalendarTables:
    stamp = table_stamp(session).calendars
    with _TABLES_LOCK:
        found = _TABLES.get(stamp)
    if found is not None:
        return found
    rows = session.scalars(select(WorkCalendar).options(selectinload(WorkCalendar.exceptions))).all()
    offices = session.execute(
        select(AreaCalendar.area_code, WorkCalendar.name).join(
            WorkCalendar, WorkCalendar.id == AreaCalendar.calendar_id
        )
    ).all()
    found = _CalendarTables(
        calendars={row.name: to_working_calendar(row) for row in rows} or standard_calendars(),
        offices=dict(offices),
    )
    with _TABLES_LOCK:
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.clear()
        _TABLES[stamp] = found
    return found


class CalendarBook:
    """The calendars script helpers see, reloaded by `loader` at most every `ttl` seconds."""

    def __init__(
        self,
        calendars: Mapping[str, WorkingCalendar] | None = None,
        *,
        loader: Callable[[], Mapping[str, WorkingCalendar]] | None = None,
        ttl: float = 60.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._calendars = dict(calendars or standard_calendars())
        self._loader, self._ttl, self.clock = loader, ttl, clock
        self._loaded_at = float("-inf") if loader else float("inf")
        self._lock = threading.Lock()

    def get(self, name: str) -> WorkingCalendar:
        self._refresh()
        if name not in self._calendars:
            raise CalendarUnknown(name=name)
        return self._calendars[name]

    def replace(self, calendars: Mapping[str, WorkingCalendar]) -> None:
        with self._lock:
            self._calendars, self._loaded_at = dict(calendars), wall.monotonic()

    def _refresh(self) -> None:
        if self._loader is None or wall.monotonic() - self._loaded_at < self._ttl:
            return
        self.replace(self._loader())


def session_loader(factory: Callable[[], Session]) -> Callable[[], Mapping[str, WorkingCalendar]]:
    def load() -> Mapping[str, WorkingCalendar]:
        with factory() as session:
            return load_calendars(session)

    return load


def engine_helpers(book: CalendarBook) -> dict[str, Callable[..., str]]:
    """Script helpers for BPMN timers: working_deadline("P5D", calendar="government") gives an ISO date.

    The date carries the calendar's offset (+07:00): SpiffWorkflow reads a date without one as server time.
    """

    def working_deadline(duration: str, calendar: str = DEFAULT_CALENDAR) -> str:
        found = book.get(calendar)
        due = add_working_time(found, STEP_STARTED_AT.get() or book.clock(), duration)
        return due.replace(tzinfo=UTC).astimezone(found.zone).isoformat()

    return {"working_deadline": working_deadline}


def create_process_engine(book: CalendarBook | None = None) -> ProcessEngine:
    """The engine with Sala's working-time helpers: every engine that runs cases must have them."""
    return ProcessEngine(helpers=engine_helpers(book or CalendarBook()))
