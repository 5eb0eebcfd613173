"""A working calendar: weekly periods, Cambodia's public holidays and decreed days off or on, in one zone."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from webapp.domain.messages import N_
from webapp.sla.errors import CalendarInvalid

PHNOM_PENH = "Asia/Phnom_Penh"
HOLIDAY_COUNTRY = "KH"
WEEKDAYS = range(7)  # Monday is 0, as in date.weekday()


@dataclass(frozen=True, order=True)
class Period:
    """A working period of a day, start included and end excluded."""

    start: time
    end: time

    @property
    def seconds(self) -> int:
        return _seconds(self.end) - _seconds(self.start)


@dataclass(frozen=True)
class WorkingCalendar:
    name: str
    timezone: str
    weekly: tuple[tuple[Period, ...], ...]  # seven days, Monday first
    public_holidays: bool = True
    days_off: Mapping[date, str] = field(default_factory=dict)  # date -> reason
    working_days: Mapping[date, str] = field(default_factory=dict)  # a decreed working day -> reason

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def periods_on(self, day: date) -> tuple[Period, ...]:
        """The working periods of one local date, after holidays and decrees."""
        if day in self.days_off:
            return ()
        if day in self.working_days:
            return self.weekly[day.weekday()] or self.longest_day
        if self.public_holidays and day in public_holidays(day.year):
            return ()
        return self.weekly[day.weekday()]

    @property
    def longest_day(self) -> tuple[Period, ...]:
        """The hours of a decreed working day that falls on a day the week has off."""
        return max(self.weekly, key=lambda periods: sum(p.seconds for p in periods))

    def holiday_name(self, day: date) -> str | None:
        if day in self.days_off:
            return self.days_off[day]
        if self.public_holidays and day not in self.working_days:
            return public_holidays(day.year).get(day)
        return None


@lru_cache(maxsize=64)
def public_holidays(year: int) -> Mapping[date, str]:
    """Cambodia's public holidays of one year, lunar ones included, from the pinned `holidays` package."""
    return dict(holidays.country_holidays(HOLIDAY_COUNTRY, years=year))


def build_calendar(
    name: str,
    weekly: Mapping[int, Iterable[tuple[time, time]]],
    *,
    timezone: str = PHNOM_PENH,
    public_holidays: bool = True,
    days_off: Mapping[date, str] | None = None,
    working_days: Mapping[date, str] | None = None,
) -> WorkingCalendar:
    """A checked calendar; CalendarInvalid lists every problem (reversed or overlapping periods, no time)."""
    errors: dict[str, list[str]] = {}
    days = tuple(_checked_day(weekly.get(day, ()), errors) for day in WEEKDAYS)
    if not any(days):
        errors.setdefault("weekly", []).append(N_("A calendar needs working time on at least one day."))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = [N_("Unknown time zone.")]
    both = set(days_off or {}) & set(working_days or {})
    if both:
        errors["days"] = [N_("A day cannot be both a day off and a working day.")]
    if errors:
        raise CalendarInvalid(errors)
    return WorkingCalendar(
        name=name,
        timezone=timezone,
        weekly=days,
        public_holidays=public_holidays,
        days_off=dict(days_off or {}),
        working_days=dict(working_days or {}),
    )


def _checked_day(periods: Iterable[tuple[time, time]], errors: dict[str, list[str]]) -> tuple[Period, ...]:
    day = sorted(Period(start, end) for start, end in periods)
    problems = errors.setdefault("weekly", [])
    if any(period.end <= period.start for period in day):
        _add_once(problems, N_("A working period must end after it starts."))
    if any(later.start < earlier.end for earlier, later in pairwise(day)):
        _add_once(problems, N_("Working periods of one day must not overlap."))
    if not problems:
        del errors["weekly"]
    return tuple(day)


def _add_once(problems: list[str], message: str) -> None:
    if message not in problems:
        problems.append(message)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def weekly_hours(
    days: Iterable[int], periods: Iterable[tuple[str, str]]
) -> dict[int, list[tuple[time, time]]]:
    """{weekday: periods} from "08:00"-style strings, the form seed data and the admin page use."""
    parsed = [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in periods]
    return {day: list(parsed) for day in days}


GOVERNMENT_WEEK = weekly_hours(range(5), [("08:00", "12:00"), ("14:00", "17:00")])
NSSF_WEEK = weekly_hours(range(7), [("08:30", "17:30")])


def standard_calendars() -> dict[str, WorkingCalendar]:
    """The two calendars of DOMAIN.md section 5, used until the database's are loaded."""
    return {
        "government": build_calendar("government", GOVERNMENT_WEEK),
        "nssf": build_calendar("nssf", NSSF_WEEK),
    }
