"""Working time: calendars of the Cambodian offices, ISO 8601 working durations and SLA clocks."""

from webapp.sla.calendar import Period, WorkingCalendar, build_calendar
from webapp.sla.clock import ClockState, SlaPolicy, clock_state
from webapp.sla.durations import WorkingDuration, parse_duration
from webapp.sla.errors import CalendarInvalid, DurationInvalid
from webapp.sla.working_time import add_working_time, next_working_moment, working_time_between

__all__ = [
    "CalendarInvalid",
    "ClockState",
    "DurationInvalid",
    "Period",
    "SlaPolicy",
    "WorkingCalendar",
    "WorkingDuration",
    "add_working_time",
    "build_calendar",
    "clock_state",
    "next_working_moment",
    "parse_duration",
    "working_time_between",
]
