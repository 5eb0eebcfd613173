"""SLA policies and clocks: a clock's state is folded from its events, so corrected calendars replay."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from webapp.sla.calendar import WorkingCalendar
from webapp.sla.durations import WorkingDuration
from webapp.sla.working_time import add_working_time, working_time_between

ON_TRACK, AT_RISK, BREACHED, PAUSED, MET = "on_track", "at_risk", "breached", "paused", "met"
REOPEN_STOPS, REOPEN_RESUMES = (
    "stop",
    "resume",
)  # a first-resolution clock stops for good; a total one resumes
START, PAUSE, RESUME, STOP, REOPEN = "start", "pause", "resume", "stop", "reopen"


@dataclass(frozen=True)
class SlaPolicy:
    clock: str
    target: WorkingDuration
    at_risk: tuple[float, ...] = (0.5, 0.8)  # fractions of the target used that raise a reminder
    pause_states: frozenset[str] = frozenset()  # task names whose being open pauses this clock
    on_reopen: str = REOPEN_RESUMES
    calendar: str = "government"


@dataclass(frozen=True)
class ClockEvent:
    kind: str  # START, PAUSE, RESUME, STOP or REOPEN
    at: datetime


@dataclass(frozen=True)
class ClockState:
    status: str
    due_at: datetime
    used: timedelta  # working time the clock ran
    target: timedelta  # the target as working time from this clock's start
    thresholds_passed: int  # how many at-risk thresholds the used time has crossed

    @property
    def fraction(self) -> float:
        return self.used / self.target if self.target else 1.0


def running_intervals(events: Iterable[ClockEvent], on_reopen: str) -> list[tuple[datetime, datetime | None]]:
    """When the clock ran: from start or resume to pause or stop; a reopen resumes only if the policy says."""
    intervals: list[tuple[datetime, datetime | None]] = []
    running_since: datetime | None = None
    stopped = False
    for event in sorted(events, key=lambda e: e.at):
        if event.kind in (START, RESUME) and running_since is None and not stopped:
            running_since = event.at
        elif event.kind == REOPEN and stopped and on_reopen == REOPEN_RESUMES:
            stopped, running_since = False, event.at
        elif event.kind in (PAUSE, STOP) and running_since is not None:
            intervals.append((running_since, event.at))
            running_since = None
        stopped = stopped or event.kind == STOP
    if running_since is not None:
        intervals.append((running_since, None))
    return intervals


def clock_state(
    calendar: WorkingCalendar, policy: SlaPolicy, events: Sequence[ClockEvent], now: datetime
) -> ClockState | None:
    """None before the clock started. The due time moves by every working hour the clock stood still."""
    intervals = running_intervals(events, policy.on_reopen)
    if not intervals:
        return None
    first = intervals[0][0]
    running = intervals[-1][1] is None
    last_end = intervals[-1][1]
    until = now if last_end is None or _paused(events) else last_end
    used = sum(
        (working_time_between(calendar, begin, min(end or now, now)) for begin, end in intervals),
        timedelta(),
    )
    standing = working_time_between(calendar, first, max(until, first)) - used
    plain_due = add_working_time(calendar, first, policy.target)
    due = add_working_time(calendar, plain_due, WorkingDuration(seconds=int(standing.total_seconds())))
    target = working_time_between(calendar, first, plain_due)
    passed = sum(1 for threshold in policy.at_risk if used >= target * threshold)
    return ClockState(
        status=_status(used, target, passed, running, events),
        due_at=due,
        used=used,
        target=target,
        thresholds_passed=passed,
    )


def _paused(events: Sequence[ClockEvent]) -> bool:
    last = max(events, key=lambda e: e.at)
    return last.kind == PAUSE


def _status(
    used: timedelta, target: timedelta, passed: int, running: bool, events: Sequence[ClockEvent]
) -> str:
    if used >= target:
        return BREACHED
    if not running:
        return PAUSED if _paused(events) else MET
    return AT_RISK if passed else ON_TRACK
