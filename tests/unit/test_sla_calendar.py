"""Working time on the government calendar: 2026 holidays, decrees, validation and ISO durations."""

from datetime import date, datetime, time, timedelta

import pytest

from webapp.sla import (
    CalendarInvalid,
    DurationInvalid,
    WorkingDuration,
    add_working_time,
    build_calendar,
    next_working_moment,
    parse_duration,
    working_time_between,
)
from webapp.sla.calendar import weekly_hours
from webapp.sla.working_time import is_working_moment, split_working_time

GOVERNMENT = build_calendar("government", weekly_hours(range(5), [("08:00", "12:00"), ("14:00", "17:00")]))
NSSF = build_calendar("nssf", weekly_hours(range(7), [("08:30", "17:30")]))


def local(*parts: int) -> datetime:
    """A Phnom Penh wall-clock time as the naive UTC Sala stores (UTC+7, no daylight saving)."""
    return datetime(*parts) - timedelta(hours=7)  # type: ignore[arg-type]


def test_five_working_days_from_before_khmer_new_year_skip_the_three_days_of_the_new_year() -> None:
    # Friday 10 April 2026; 14-16 April are Khmer New Year, so the fifth working day is Wednesday 22 April.
    assert add_working_time(GOVERNMENT, local(2026, 4, 10, 10, 0), "P5D") == local(2026, 4, 22, 10, 0)


@pytest.mark.parametrize(
    ("holiday", "name_part"),
    [
        (date(2026, 4, 14), "Khmer New Year"),
        (date(2026, 4, 15), "Khmer New Year"),
        (date(2026, 4, 16), "Khmer New Year"),
        (date(2026, 10, 12), "Pchum Ben"),
        (date(2026, 11, 23), "Water Festival"),
        (date(2026, 11, 24), "Water Festival"),
        (date(2026, 11, 25), "Water Festival"),
    ],
)
def test_2026_lunar_holidays_have_no_working_time(holiday: date, name_part: str) -> None:
    assert GOVERNMENT.periods_on(holiday) == ()
    assert name_part in (GOVERNMENT.holiday_name(holiday) or "")


def test_pchum_ben_2026_falls_on_a_weekend_and_monday_so_a_friday_request_waits_until_tuesday() -> None:
    # 10-12 October 2026 are Saturday to Monday.
    assert next_working_moment(GOVERNMENT, local(2026, 10, 9, 18, 0)) == local(2026, 10, 13, 8, 0)


def test_a_request_before_the_water_festival_is_due_after_it() -> None:
    # Friday 20 November 2026, 16:00; 23-25 November are the Water Festival.
    due = add_working_time(GOVERNMENT, local(2026, 11, 20, 16, 0), "P2D")
    assert due == local(2026, 11, 27, 16, 0)


def test_a_request_received_at_night_starts_counting_at_the_next_working_moment() -> None:
    assert add_working_time(GOVERNMENT, local(2026, 11, 18, 22, 0), "PT4H") == local(2026, 11, 19, 12, 0) + (
        timedelta(hours=2)
    )


def test_working_hours_jump_the_lunch_break() -> None:
    assert add_working_time(GOVERNMENT, local(2026, 11, 18, 11, 0), "PT2H") == local(2026, 11, 18, 15, 0)
    assert working_time_between(GOVERNMENT, local(2026, 11, 18, 11, 0), local(2026, 11, 18, 15, 0)) == (
        timedelta(hours=2)
    )


def test_nssf_counters_count_the_weekend_but_not_public_holidays() -> None:
    assert add_working_time(NSSF, local(2026, 11, 20, 9, 0), "P3D") == local(2026, 11, 26, 9, 0)


def test_a_decreed_day_off_and_a_decreed_working_day_move_the_deadline() -> None:
    decreed = build_calendar(
        "government",
        weekly_hours(range(5), [("08:00", "12:00"), ("14:00", "17:00")]),
        days_off={date(2026, 11, 19): "Day off by sub-decree"},
        working_days={date(2026, 11, 21): "Make-up Saturday"},
    )
    start = local(2026, 11, 18, 9, 0)
    assert add_working_time(decreed, start, "P2D") == local(2026, 11, 21, 9, 0)
    assert decreed.holiday_name(date(2026, 11, 19)) == "Day off by sub-decree"


def test_remaining_time_is_split_into_working_days_and_hours() -> None:
    split = split_working_time(GOVERNMENT, local(2026, 11, 17, 9, 0), local(2026, 11, 19, 12, 0))
    assert split == WorkingDuration(days=2, seconds=3 * 3600)


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ([("12:00", "08:00")], "A working period must end after it starts."),
        ([("08:00", "12:00"), ("11:00", "15:00")], "Working periods of one day must not overlap."),
        ([], "A calendar needs working time on at least one day."),
    ],
)
def test_bad_working_periods_are_refused_with_a_message(periods: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(CalendarInvalid) as refused:
        build_calendar("bad", weekly_hours(range(5), periods))
    assert message in refused.value.errors["weekly"]


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(CalendarInvalid) as refused:
        build_calendar("bad", {0: [(time(8), time(12))]}, timezone="Asia/Atlantis")
    assert refused.value.errors == {"timezone": ["Unknown time zone."]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P5D", WorkingDuration(days=5)),
        ("PT4H", WorkingDuration(seconds=4 * 3600)),
        ("PT30M", WorkingDuration(seconds=1800)),
        ("P1DT2H", WorkingDuration(days=1, seconds=7200)),
    ],
)
def test_iso_durations_are_read_as_working_days_and_hours(text: str, expected: WorkingDuration) -> None:
    assert parse_duration(text) == expected
    assert parse_duration(expected.iso()) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "5D", "P1W", "P1M", "P-1D", "P1.5D", "PT4", "P1DT"])
def test_invalid_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationInvalid):
        parse_duration(text)


def test_lunch_and_evening_are_not_working_moments() -> None:
    assert is_working_moment(GOVERNMENT, local(2026, 11, 18, 9, 0))
    assert not is_working_moment(GOVERNMENT, local(2026, 11, 18, 12, 30))
    assert not is_working_moment(GOVERNMENT, local(2026, 11, 18, 17, 0))
