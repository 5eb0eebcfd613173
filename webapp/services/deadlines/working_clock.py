"""Working time between many pairs of moments at once, for reports: the same answers as
`webapp.sla.working_time`, from per-day tables built once per calendar instead of a walk per pair."""

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta

from webapp.sla import WorkingCalendar
from webapp.sla.working_time import working_days_between, working_time_between

Interval = tuple[datetime, datetime]
MAX_SPAN_DAYS = 3 * 366  # beyond this a pair falls back to the plain walk


class WorkingClock:
    """One calendar's working seconds counted from a first day, so `between` is a difference of two sums.

    Built lazily over the days the pairs touch; each day's periods are computed once.
    """

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._zone = calendar.zone
        self._first: date | None = None
        self._intervals: list[list[Interval]] = []
        self._seconds_before: list[float] = []  # working seconds from the first day to the start of day i
        self._days_through: list[int] = []  # working days from the first day up to and including day i

    def between(self, a: datetime, b: datetime) -> timedelta:
        """`working_time_between(calendar, a, b)`."""
        if b < a:
            return -self.between(b, a)
        start, end = self._local(a), self._local(b)
        if (end.date() - start.date()).days > MAX_SPAN_DAYS:
            return working_time_between(self.calendar, a, b)
        self._cover(start.date(), end.date())
        return timedelta(seconds=self._seconds_at(end) - self._seconds_at(start))

    def days_between(self, a: datetime, b: datetime) -> int:
        """`working_days_between(calendar, a, b)`: whole working days from a to b, 0 when b is not after a."""
        first, last = self._local(a), self._local(b)
        if not timedelta() <= last.date() - first.date() <= timedelta(days=MAX_SPAN_DAYS - 31):
            return working_days_between(self.calendar, a, b)
        self._cover(first.date(), last.date() + timedelta(days=31))
        start, end = self._next_working(first), self._next_working(last)
        if start is None or end is None:
            return working_days_between(self.calendar, a, b)
        if end <= start:
            return 0
        days = self._days_through[self._index(end.date())] - self._days_through[self._index(start.date())]
        if self._elapsed(end) < self._elapsed(start):
            days -= 1
        return days

    def _local(self, moment: datetime) -> datetime:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(self._zone)

    def _index(self, day: date) -> int:
        assert self._first is not None
        return (day - self._first).days

    def _cover(self, first: date, last: date) -> None:
        """Extend the tables so that they hold every day from `first` to `last`."""
        if self._first is None:
            self._first = first
            self._append_through(first)
        if first < self._first:
            self._rebuild(first, self._first + timedelta(days=len(self._intervals) - 1))
        self._append_through(last)

    def _rebuild(self, first: date, last: date) -> None:
        self._first, self._intervals, self._seconds_before, self._days_through = first, [], [], []
        self._append_through(last)

    def _append_through(self, last: date) -> None:
        assert self._first is not None
        day = self._first + timedelta(days=len(self._intervals))
        while day <= last:
            zone = self._zone
            intervals = [
                (datetime.combine(day, p.start, tzinfo=zone), datetime.combine(day, p.end, tzinfo=zone))
                for p in self.calendar.periods_on(day)
            ]
            before = self._seconds_before[-1] + _total(self._intervals[-1]) if self._intervals else 0.0
            through = (self._days_through[-1] if self._days_through else 0) + (1 if intervals else 0)
            self._intervals.append(intervals)
            self._seconds_before.append(before)
            self._days_through.append(through)
            day += timedelta(days=1)

    def _seconds_at(self, local: datetime) -> float:
        index = self._index(local.date())
        return self._seconds_before[index] + self._elapsed(local)

    def _elapsed(self, local: datetime) -> float:
        elapsed = 0.0
        for begin, end in self._intervals[self._index(local.date())]:
            if local > begin:
                elapsed += ((end if local > end else local) - begin).total_seconds()
        return elapsed

    def _next_working(self, local: datetime) -> datetime | None:
        """The moment itself inside working time, else the next period's start (None: past the tables)."""
        index = self._index(local.date())
        for begin, end in self._intervals[index]:
            if local < end:
                return max(local, begin)
        starts = self._days_through
        following = bisect_right(starts, starts[index])  # the first later day that has working time
        if following >= len(self._intervals):
            return None
        return self._intervals[following][0][0]


def _total(intervals: list[Interval]) -> float:
    return sum((end - begin).total_seconds() for begin, end in intervals)
