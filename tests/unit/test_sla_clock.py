"""SLA clocks folded from events: at risk, breached, met, paused, and what reopening does."""

from datetime import datetime, timedelta

from webapp.sla import WorkingDuration, build_calendar
from webapp.sla.calendar import weekly_hours
from webapp.sla.clock import (
    AT_RISK,
    BREACHED,
    MET,
    ON_TRACK,
    PAUSE,
    PAUSED,
    REOPEN,
    REOPEN_STOPS,
    START,
    STOP,
    ClockEvent,
    ClockState,
    SlaPolicy,
    clock_state,
)

GOVERNMENT = build_calendar("government", weekly_hours(range(5), [("08:00", "12:00"), ("14:00", "17:00")]))
FIVE_DAYS = SlaPolicy(clock="check", target=WorkingDuration(days=5))
MONDAY_9 = datetime(2026, 11, 30, 2, 0)  # Monday 30 November 2026, 09:00 in Phnom Penh


def state(events: list[tuple[str, datetime]], now: datetime, policy: SlaPolicy = FIVE_DAYS) -> ClockState:
    found = clock_state(GOVERNMENT, policy, [ClockEvent(kind, at) for kind, at in events], now)
    assert found is not None
    return found


def test_a_clock_is_on_track_then_at_risk_then_breached_as_working_days_pass() -> None:
    events = [(START, MONDAY_9)]
    assert state(events, MONDAY_9 + timedelta(days=1)).status == ON_TRACK
    assert state(events, MONDAY_9 + timedelta(days=3)).status == AT_RISK
    late = state(events, MONDAY_9 + timedelta(days=7, hours=1))
    assert late.status == BREACHED
    assert late.due_at == MONDAY_9 + timedelta(days=7)


def test_a_weekend_does_not_use_the_clock() -> None:
    saturday = MONDAY_9 + timedelta(days=5)
    assert (
        state([(START, MONDAY_9)], saturday).used == state([(START, MONDAY_9)], saturday + timedelta(1)).used
    )


def test_a_clock_stopped_in_time_is_met_and_a_paused_clock_says_so() -> None:
    assert (
        state([(START, MONDAY_9), (STOP, MONDAY_9 + timedelta(days=1))], MONDAY_9 + timedelta(30)).status
        == MET
    )
    assert state(
        [(START, MONDAY_9), (PAUSE, MONDAY_9 + timedelta(hours=1))], MONDAY_9 + timedelta(2)
    ).status == (PAUSED)


def test_reopening_resumes_a_total_clock_but_not_a_first_resolution_clock() -> None:
    events = [(START, MONDAY_9), (STOP, MONDAY_9 + timedelta(days=1)), (REOPEN, MONDAY_9 + timedelta(days=2))]
    now = MONDAY_9 + timedelta(days=3)
    total = state(events, now)
    first = state(
        events, now, SlaPolicy(clock="first", target=WorkingDuration(days=5), on_reopen=REOPEN_STOPS)
    )
    assert total.used == timedelta(hours=14)  # Monday to Tuesday, then Wednesday to Thursday
    assert first.used == timedelta(hours=7)
    assert first.status == MET


def test_no_clock_before_it_starts() -> None:
    assert clock_state(GOVERNMENT, FIVE_DAYS, [], MONDAY_9) is None
