"""Arithmetic in working time: the next working moment, adding working days or hours, time between.

Moments may be naive (UTC, as Sala stores them) or aware; results come back in the same form.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from webapp.domain.messages import N_
from webapp.sla.calendar import WorkingCalendar
from webapp.sla.durations import WorkingDuration, parse_duration
from webapp.sla.errors import CalendarInvalid

MAX_SCAN_DAYS = 3 * 366  # a calendar without working time for three years is a mistake, not a wait

Interval = tuple[datetime, datetime]


def next_working_moment(calendar: WorkingCalendar, moment: datetime) -> datetime:
    """The moment itself inside working time, else the start of the next working period."""
    return _back(_next_local(calendar, _local(calendar, moment)), moment)


def add_working_time(calendar: WorkingCalendar, start: datetime, duration: WorkingDuration | str) -> datetime:
    """Start plus whole working days (same point of the working day) plus working hours."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    moment = _next_local(calendar, _local(calendar, start))
    if duration.days:
        elapsed = _elapsed_in_day(calendar, moment)
        day = moment.date()
        for _ in range(duration.days):
            day = _next_working_date(calendar, day)
        moment = _at_elapsed(calendar, day, elapsed)
    if duration.seconds:
        moment = _add_seconds(calendar, moment, duration.seconds)
    return _back(moment, start)


def working_time_between(calendar: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time from a to b; negative when b comes first."""
    if b < a:
        return -working_time_between(calendar, b, a)
    start, end = _local(calendar, a), _local(calendar, b)
    total = timedelta()
    for day in _dates(start.date(), end.date()):
        for begin, finish in _intervals(calendar, day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta():
                total += overlap
    return total


def working_days_between(calendar: WorkingCalendar, a: datetime, b: datetime) -> int:
    """Whole working days from a to b (0 when b is not after a), the inverse of adding days."""
    start = _next_local(calendar, _local(calendar, a))
    end = _next_local(calendar, _local(calendar, b))
    if end <= start:
        return 0
    days = sum(1 for day in _dates(start.date() + timedelta(days=1), end.date()) if calendar.periods_on(day))
    if _elapsed_in_day(calendar, end) < _elapsed_in_day(calendar, start):
        days -= 1
    return days


def split_working_time(calendar: WorkingCalendar, a: datetime, b: datetime) -> WorkingDuration:
    """The working time from a to b as whole working days and the working seconds left over."""
    days = working_days_between(calendar, a, b)
    after_days = add_working_time(calendar, a, WorkingDuration(days=days)) if days else a
    rest = working_time_between(calendar, after_days, b)
    return WorkingDuration(days=days, seconds=max(0, int(rest.total_seconds())))


def is_working_moment(calendar: WorkingCalendar, moment: datetime) -> bool:
    local = _local(calendar, moment)
    return any(begin <= local < end for begin, end in _intervals(calendar, local.date()))


def _local(calendar: WorkingCalendar, moment: datetime) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(calendar.zone)


def _back(local: datetime, like: datetime) -> datetime:
    if like.tzinfo is None:
        return local.astimezone(UTC).replace(tzinfo=None)
    return local


def _intervals(calendar: WorkingCalendar, day: date) -> list[Interval]:
    zone = calendar.zone
    return [
        (datetime.combine(day, p.start, tzinfo=zone), datetime.combine(day, p.end, tzinfo=zone))
        for p in calendar.periods_on(day)
    ]


def _dates(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _next_local(calendar: WorkingCalendar, local: datetime) -> datetime:
    day = local.date()
    for _ in range(MAX_SCAN_DAYS):
        for begin, end in _intervals(calendar, day):
            if local < end:
                return max(local, begin)
        day += timedelta(days=1)
    raise CalendarInvalid({"weekly": [N_("The calendar has no working time in the coming years.")]})


def _next_working_date(calendar: WorkingCalendar, day: date) -> date:
    for _ in range(MAX_SCAN_DAYS):
        day += timedelta(days=1)
        if calendar.periods_on(day):
            return day
    raise CalendarInvalid({"weekly": [N_("The calendar has no working time in the coming years.")]})


def _elapsed_in_day(calendar: WorkingCalendar, local: datetime) -> timedelta:
    elapsed = timedelta()
    for begin, end in _intervals(calendar, local.date()):
        if local > begin:
            elapsed += min(local, end) - begin
    return elapsed


def _at_elapsed(calendar: WorkingCalendar, day: date, elapsed: timedelta) -> datetime:
    """The moment of `day` after `elapsed` working time; past the day's end, the next working moment."""
    intervals = _intervals(calendar, day)
    for begin, end in intervals:
        if elapsed < end - begin:
            return begin + elapsed
        elapsed -= end - begin
    return _next_local(calendar, intervals[-1][1])


def _add_seconds(calendar: WorkingCalendar, local: datetime, seconds: int) -> datetime:
    remaining = timedelta(seconds=seconds)
    moment = _next_local(calendar, local)
    while True:
        end = next(
            finish for begin, finish in _intervals(calendar, moment.date()) if begin <= moment < finish
        )
        if remaining < end - moment:
            return moment + remaining
        remaining -= end - moment
        moment = _next_local(calendar, end)
