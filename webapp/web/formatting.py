"""Dates, times, numbers, durations and sizes as pages show them: in Khmer with Khmer digits, a four-digit
year and a 24-hour clock (as the letters write them), in English as Babel writes them. The pure functions
take the locale; the Jinja globals registered by `template_globals` read the reader's.

A list page formats the same counts, instants and ages for every officer who opens it, and Babel takes tens of
microseconds a call: whole numbers and instants are kept per process once formatted (bounded caches of pure
functions), and an age is kept by the unit and count Babel would write."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from webapp.domain.clock import PHNOM_PENH
from webapp.letters.khmer import SOLAR_MONTHS, digits, solar_date

Number = int | float | Decimal
Granularity = Literal["year", "month", "week", "day", "hour", "minute", "second"]


def local_time(value: datetime) -> datetime:
    """A stored instant (naive values are UTC) in Cambodia's time."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(PHNOM_PENH)


def khmer_date(day: date, form: str = "medium") -> str:
    """short ០៥/១១/២០២៦, medium ០៥ វិច្ឆិកា ២០២៦, long (the letters' form) ថ្ងៃទី០៥ ខែវិច្ឆិកា ឆ្នាំ២០២៦."""
    if form == "short":
        return digits(f"{day.day:02d}/{day.month:02d}/{day.year:04d}")
    if form in ("long", "full"):
        return solar_date(day)
    return f"{digits(f'{day.day:02d}')} {SOLAR_MONTHS[day.month - 1]} {digits(f'{day.year:04d}')}"


def khmer_time(moment: datetime) -> str:
    """The 24-hour clock in Khmer digits: ១៤:០៥."""
    return digits(f"{moment.hour:02d}:{moment.minute:02d}")


def date_text(value: date | datetime | str | None, form: str = "medium", *, locale: str) -> str:
    """A day (or an instant's day in Cambodia); an ISO string, as job payloads store days, is read first."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    day = local_time(value).date() if isinstance(value, datetime) else value
    if locale == "km":
        return khmer_date(day, form)
    return babel_dates.format_date(day, form, locale=locale)


def month_text(value: str | date, *, locale: str) -> str:
    """A month ("2026-11" or a day of it): វិច្ឆិកា ២០២៦, November 2026."""
    day = date.fromisoformat(f"{value}-01") if isinstance(value, str) else value
    if locale == "km":
        return f"{SOLAR_MONTHS[day.month - 1]} {digits(f'{day.year:04d}')}"
    return babel_dates.format_date(day, "MMMM y", locale=locale)


def datetime_text(value: datetime | None, form: str = "short", *, locale: str) -> str:
    if value is None:
        return ""
    return _datetime_text(value, form, locale)


@lru_cache(maxsize=8192)
def _datetime_text(value: datetime, form: str, locale: str) -> str:
    moment = local_time(value)
    if locale == "km":
        return f"{khmer_date(moment.date(), 'short' if form == 'short' else 'medium')} {khmer_time(moment)}"
    return babel_dates.format_datetime(moment, form, tzinfo=PHNOM_PENH, locale=locale)


def time_text(value: datetime | None, *, locale: str) -> str:
    if value is None:
        return ""
    moment = local_time(value)
    if locale == "km":
        return khmer_time(moment)
    return babel_dates.format_time(moment, "short", tzinfo=PHNOM_PENH, locale=locale)


def number_text(value: Number | None, *, locale: str) -> str:
    """Grouped as CLDR groups the locale; Khmer digits in Khmer."""
    if value is None:
        return ""
    if type(value) is int:  # not a bool, a float or a Decimal that equals an int but prints otherwise
        return _whole_number_text(value, locale)
    return _decimal_text(value, locale)


@lru_cache(maxsize=4096)
def _whole_number_text(value: int, locale: str) -> str:
    return _decimal_text(value, locale)


def _decimal_text(value: Number, locale: str) -> str:
    text = babel_numbers.format_decimal(value, locale=locale)
    return digits(text) if locale == "km" else text


def timedelta_text(
    delta: timedelta, *, locale: str, granularity: Granularity = "second", threshold: float = 0.85
) -> str:
    """An age or a wait: ៣ ថ្ងៃ, 3 days."""
    unit, count = timedelta_unit(delta, granularity, threshold)
    key = (unit, count, granularity, threshold, locale)
    text = _TIMEDELTAS.get(key)
    if text is None:
        text = babel_dates.format_timedelta(
            delta, granularity=granularity, threshold=threshold, locale=locale
        )
        text = digits(text) if locale == "km" else text
        if len(_TIMEDELTAS) >= 4096:
            _TIMEDELTAS.clear()
        _TIMEDELTAS[key] = text
    return text


_TIMEDELTAS: dict[tuple[str, int, str, float, str], str] = {}


def timedelta_unit(delta: timedelta, granularity: str, threshold: float) -> tuple[str, int]:
    """The unit and count Babel's format_timedelta writes for `delta` (its own choice, step by step): two
    deltas with the same unit and count read the same."""
    seconds = abs(int(delta.days * 86400 + delta.seconds))
    for unit, seconds_per_unit in babel_dates.TIMEDELTA_UNITS:
        value = seconds / seconds_per_unit
        if value >= threshold or unit == granularity:
            if unit == granularity and value > 0:
                value = max(1, value)
            return unit, round(value)
    return "", 0


def size_text(size: int, *, locale: str) -> str:
    """A file's size as people read it: ១,៥ មេហ្គាបៃ, 300 KB (the words come from the catalog)."""
    with force_locale(locale):
        if size >= 1024 * 1024:
            return _("%(size)s MB", size=number_text(round(size / (1024 * 1024), 1), locale=locale))
        return _("%(size)s KB", size=number_text(max(1, round(size / 1024)), locale=locale))


def reader_locale() -> str:
    return str(get_locale() or "km")


def format_date(value: date | datetime | str | None, form: str = "medium") -> str:
    return date_text(value, form, locale=reader_locale())


def format_month(value: str | date) -> str:
    return month_text(value, locale=reader_locale())


def format_datetime(value: datetime | None, form: str = "short") -> str:
    return datetime_text(value, form, locale=reader_locale())


def format_time(value: datetime | None) -> str:
    return time_text(value, locale=reader_locale())


def format_number(value: Number | None) -> str:
    return number_text(value, locale=reader_locale())


def format_timedelta(delta: timedelta, granularity: Granularity = "second", threshold: float = 0.85) -> str:
    return timedelta_text(delta, locale=reader_locale(), granularity=granularity, threshold=threshold)


def format_size(size: int) -> str:
    return size_text(size, locale=reader_locale())


def template_globals() -> dict[str, object]:
    """The formatting every template calls: Sala's own, never Babel's directly."""
    return {
        "format_date": format_date,
        "format_month": format_month,
        "format_datetime": format_datetime,
        "format_time": format_time,
        "format_number": format_number,
        "format_timedelta": format_timedelta,
        "format_size": format_size,
    }


def template_filters() -> dict[str, object]:
    """`{{ count|number }}`: a count or amount in the reader's digits."""
    return {"number": format_number}
