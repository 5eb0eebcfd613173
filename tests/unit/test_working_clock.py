"""The reports' working clock gives the same working time and working days as the walk in webapp.sla."""

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.services.deadlines.working_clock import WorkingClock
from webapp.sla import build_calendar
from webapp.sla.calendar import standard_calendars
from webapp.sla.working_time import working_days_between, working_time_between

GOVERNMENT = standard_calendars()["government"]
WITH_DAYS_OFF = build_calendar(
    "decreed",
    {
        0: [(time(8), time(12)), (time(14), time(17))],
        2: [(time(7, 30), time(11, 30))],
        5: [(time(8), time(9))],
    },
    days_off={date(2026, 3, 2): "Decree", date(2026, 3, 4): "Decree"},
    working_days={date(2026, 3, 8): "Make-up day"},
)
moments = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1))


@settings(max_examples=300, deadline=None)
@given(a=moments, b=moments, calendar=st.sampled_from([GOVERNMENT, WITH_DAYS_OFF]))
def test_the_clock_agrees_with_the_walk(a: datetime, b: datetime, calendar) -> None:
    clock = WorkingClock(calendar)
    assert abs(clock.between(a, b) - working_time_between(calendar, a, b)) < timedelta(microseconds=2)
    assert clock.days_between(a, b) == working_days_between(calendar, a, b)


def test_one_clock_serves_pairs_in_any_order_of_dates() -> None:
    clock = WorkingClock(GOVERNMENT)
    pairs = [
        (datetime(2026, 6, 1, 2), datetime(2026, 6, 20, 9)),
        (datetime(2026, 1, 5, 1), datetime(2026, 1, 9, 8)),  # earlier than the tables built so far
        (datetime(2026, 12, 20, 3), datetime(2027, 1, 4, 4)),
    ]
    for a, b in pairs:
        assert clock.between(a, b) == working_time_between(GOVERNMENT, a, b)
        assert clock.days_between(a, b) == working_days_between(GOVERNMENT, a, b)
