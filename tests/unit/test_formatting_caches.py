"""The formatting kept per process reads exactly as Babel writes: ages, whole numbers and instants."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from webapp.letters.khmer import digits
from webapp.web.formatting import datetime_text, number_text, timedelta_text

UNITS = (31536000, 2592000, 604800, 86400, 3600, 60, 1)


def _lengths() -> list[int]:
    """Seconds around every unit's boundaries and rounding points, and a sweep in between."""
    found = set(range(0, 5000, 7)) | set(range(0, 40_000_000, 86_399))
    for unit in UNITS:
        for factor in (0.5, 0.85, 1, 1.5, 2, 2.5, 6.5, 11.5, 29.5, 51.5):
            middle = int(unit * factor)
            found |= {middle - 1, middle, middle + 1}
    return sorted(n for n in found if n >= 0)


def test_an_age_reads_as_babel_writes_it_whatever_its_length():
    for locale in ("km", "en"):
        for granularity, threshold in (("minute", 1.0), ("second", 0.85), ("day", 0.85)):
            for seconds in _lengths():
                delta = timedelta(seconds=seconds, microseconds=seconds % 1000)
                expected = babel_dates.format_timedelta(
                    delta, granularity=granularity, threshold=threshold, locale=locale
                )
                expected = digits(expected) if locale == "km" else expected
                got = timedelta_text(delta, locale=locale, granularity=granularity, threshold=threshold)
                assert got == expected, (locale, granularity, seconds)


def test_a_negative_age_reads_as_its_length():
    assert timedelta_text(timedelta(days=-3), locale="en") == timedelta_text(timedelta(days=3), locale="en")


def test_whole_numbers_and_equal_decimals_keep_their_own_form():
    assert number_text(1234, locale="km") == "១,២៣៤"
    assert number_text(1234, locale="en") == "1,234"
    for value in (1234.5, Decimal("1234.50"), 1.0, Decimal("1")):
        assert number_text(value, locale="en") == babel_numbers.format_decimal(value, locale="en")
    assert number_text(1, locale="en") == "1"


def test_an_instant_reads_the_same_naive_or_aware_and_once_kept():
    naive = datetime(2026, 11, 21, 7, 5)
    aware = naive.replace(tzinfo=UTC)
    first = datetime_text(naive, "short", locale="km")
    assert first == datetime_text(naive, "short", locale="km") == datetime_text(aware, "short", locale="km")
    assert first == "២១/១១/២០២៦ ១៤:០៥"
    assert datetime_text(naive, "short", locale="en") != first
