"""Errors of calendars and durations, raised when they are saved or deployed, never in the worker."""

from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_


class CalendarInvalid(InvalidInput):
    """A calendar that cannot be saved; `errors` maps a field to message ids."""

    message = N_("The calendar is not valid.")


class DurationInvalid(InvalidInput):
    message = N_("The duration is not valid.")

    def __init__(self, text: str) -> None:
        super().__init__(
            {"duration": [N_("Write a duration such as P5D (working days) or PT4H (working hours).")]}
        )
        self.text = text

    def __str__(self) -> str:
        return f"{self.text!r} is not a working duration such as P5D or PT4H"
