"""Time in one place: Sala's days and months are Cambodia's (Asia/Phnom_Penh, UTC+7, no daylight saving),
whatever the server's zone; instants are stored as naive UTC."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")


@dataclass(frozen=True)
class Clock:
    """The clock services receive; `fixed` (naive UTC) freezes it for tests and replays."""

    fixed: datetime | None = None

    def now(self) -> datetime:
        """The current instant, naive UTC, as the database stores it."""
        return self.fixed if self.fixed is not None else datetime.now(UTC).replace(tzinfo=None)

    def today(self) -> date:
        """Today in Cambodia: the date printed on letters and the default of every date field."""
        return local_date(self.now())


SYSTEM_CLOCK = Clock()


def local_date(instant: datetime) -> date:
    """The Cambodian date of a naive UTC instant."""
    return instant.replace(tzinfo=UTC).astimezone(PHNOM_PENH).date()


def local_today() -> date:
    """Today in Cambodia on the system clock, for code that has no clock handed to it (worker hooks)."""
    return SYSTEM_CLOCK.today()


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one in Cambodia, as naive UTC: report periods."""
    start = datetime.combine(date(year, month, 1), time(), PHNOM_PENH)
    following = date(year + month // 12, month % 12 + 1, 1)
    end = datetime.combine(following, time(), PHNOM_PENH)
    return start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None)
