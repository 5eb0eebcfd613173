"""ISO 8601 durations read as working time: P5D is five working days, PT4H four working hours."""

import re
from dataclasses import dataclass
from datetime import timedelta

from webapp.sla.errors import DurationInvalid

_ISO = re.compile(r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)?$")
MAX_DAYS = 3650


@dataclass(frozen=True, order=True)
class WorkingDuration:
    """Whole working days, then working time inside the day."""

    days: int = 0
    seconds: int = 0

    @property
    def time(self) -> timedelta:
        return timedelta(seconds=self.seconds)

    def iso(self) -> str:
        hours, rest = divmod(self.seconds, 3600)
        minutes = rest // 60
        time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        text = (f"{self.days}D" if self.days else "") + (f"T{time}" if time else "")
        return f"P{text or '0D'}"


def parse_duration(text: str) -> WorkingDuration:
    """P5D, PT4H, PT30M, P1DT2H; anything else (weeks, months, negative, empty) is refused."""
    match = _ISO.match((text or "").strip().upper())
    if not match or text.strip().upper() in ("P", "PT") or text.strip().upper().endswith("T"):
        raise DurationInvalid(text)
    days = int(match["days"] or 0)
    seconds = int(match["hours"] or 0) * 3600 + int(match["minutes"] or 0) * 60
    if days > MAX_DAYS or seconds > MAX_DAYS * 24 * 3600:
        raise DurationInvalid(text)
    return WorkingDuration(days=days, seconds=seconds)
