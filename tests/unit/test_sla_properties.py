"""Properties of working time that must hold for any start, duration and pause (hypothesis)."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.sla import WorkingDuration, add_working_time, build_calendar, working_time_between
from webapp.sla.calendar import WorkingCalendar, weekly_hours
from webapp.sla.clock import PAUSE, RESUME, START, ClockEvent, SlaPolicy, clock_state
from webapp.sla.working_time import is_working_moment, working_days_between

GOVERNMENT = build_calendar("government", weekly_hours(range(5), [("08:00", "12:00"), ("14:00", "17:00")]))
NSSF = build_calendar("nssf", weekly_hours(range(7), [("08:30", "17:30")]))

starts = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)
calendars = st.sampled_from([GOVERNMENT, NSSF])


@settings(max_examples=300, deadline=None)
@given(calendar=calendars, start=starts, days=st.integers(min_value=0, max_value=40))
def test_adding_n_working_days_then_counting_the_days_between_gives_n(
    calendar: WorkingCalendar, start: datetime, days: int
) -> None:
    due = add_working_time(calendar, start, WorkingDuration(days=days))
    assert working_days_between(calendar, start, due) == days


@settings(max_examples=300, deadline=None)
@given(
    calendar=calendars,
    start=starts,
    days=st.integers(min_value=0, max_value=30),
    minutes=st.integers(min_value=0, max_value=60 * 40),
)
def test_a_deadline_never_falls_on_a_holiday_or_outside_working_periods(
    calendar: WorkingCalendar, start: datetime, days: int, minutes: int
) -> None:
    due = add_working_time(calendar, start, WorkingDuration(days=days, seconds=minutes * 60))
    local_day = (due + timedelta(hours=7)).date()
    assert is_working_moment(calendar, due)
    assert calendar.holiday_name(local_day) is None
    assert due >= start


@settings(max_examples=300, deadline=None)
@given(calendar=calendars, start=starts, minutes=st.integers(min_value=0, max_value=60 * 60))
def test_adding_working_hours_then_measuring_them_gives_them_back(
    calendar: WorkingCalendar, start: datetime, minutes: int
) -> None:
    due = add_working_time(calendar, start, WorkingDuration(seconds=minutes * 60))
    assert working_time_between(calendar, start, due) == timedelta(minutes=minutes)


@settings(max_examples=200, deadline=None)
@given(
    calendar=calendars,
    start=starts,
    days=st.integers(min_value=1, max_value=15),
    pause_after=st.integers(min_value=0, max_value=60 * 20),
    pause_hours=st.integers(min_value=1, max_value=60),
)
def test_pausing_for_k_working_hours_moves_the_deadline_by_exactly_k_working_hours(
    calendar: WorkingCalendar, start: datetime, days: int, pause_after: int, pause_hours: int
) -> None:
    policy = SlaPolicy(clock="resolve", target=WorkingDuration(days=days))
    paused_at = add_working_time(calendar, start, WorkingDuration(seconds=pause_after * 60))
    resumed_at = add_working_time(calendar, paused_at, WorkingDuration(seconds=pause_hours * 3600))
    plain = clock_state(calendar, policy, [ClockEvent(START, start)], now=start)
    paused = clock_state(
        calendar,
        policy,
        [ClockEvent(START, start), ClockEvent(PAUSE, paused_at), ClockEvent(RESUME, resumed_at)],
        now=resumed_at,
    )
    assert plain is not None and paused is not None
    assert working_time_between(calendar, plain.due_at, paused.due_at) == timedelta(hours=pause_hours)
