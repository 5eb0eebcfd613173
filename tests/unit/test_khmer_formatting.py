"""Dates, times, numbers and sizes on pages: Khmer digits, a four-digit year, a 24-hour clock in Cambodia's
time, Khmer words for the units; English as Babel writes it."""

from datetime import date, datetime, timedelta

import pytest

from webapp.web.formatting import (
    date_text,
    datetime_text,
    month_text,
    number_text,
    time_text,
    timedelta_text,
)

AFTERNOON_UTC = datetime(2026, 11, 21, 7, 5)  # 14:05 in Phnom Penh


@pytest.mark.parametrize(
    ("form", "expected"),
    [("short", "២១/១១/២០២៦"), ("medium", "២១ វិច្ឆិកា ២០២៦"), ("long", "ថ្ងៃទី២១ ខែវិច្ឆិកា ឆ្នាំ២០២៦")],
)
def test_a_day_in_khmer_has_khmer_digits_and_a_four_digit_year(form, expected):
    assert date_text(date(2026, 11, 21), form, locale="km") == expected


def test_an_instant_in_khmer_is_a_24_hour_time_in_cambodia_without_am_or_pm():
    assert datetime_text(AFTERNOON_UTC, "short", locale="km") == "២១/១១/២០២៦ ១៤:០៥"
    assert time_text(AFTERNOON_UTC, locale="km") == "១៤:០៥"
    assert "AM" not in datetime_text(datetime(2026, 11, 21, 1, 0), locale="km")


def test_an_instant_near_midnight_utc_is_the_next_day_in_cambodia():
    assert date_text(datetime(2026, 11, 21, 20, 0), locale="km") == "២២ វិច្ឆិកា ២០២៦"


def test_english_keeps_babel_forms_in_cambodia_time():
    assert date_text(date(2026, 11, 21), locale="en") == "Nov 21, 2026"
    assert datetime_text(AFTERNOON_UTC, locale="en") == "11/21/26, 2:05\u202fPM"


def test_a_stored_iso_day_and_a_month_are_read_as_days():
    assert date_text("2026-11-02", locale="km") == "០២ វិច្ឆិកា ២០២៦"
    assert month_text("2026-01", locale="km") == "មករា ២០២៦"
    assert month_text("2026-01", locale="en") == "January 2026"


def test_numbers_and_durations_in_khmer_use_khmer_digits():
    assert number_text(1234.5, locale="km") == "១,២៣៤.៥"
    assert number_text(1234.5, locale="en") == "1,234.5"
    assert timedelta_text(timedelta(days=3), locale="km") == "៣ ថ្ងៃ"


def test_sizes_are_in_khmer_units_with_khmer_digits(app):
    from webapp.web.formatting import size_text

    with app.test_request_context():
        assert size_text(1536 * 1024, locale="km") == "១.៥ មេហ្គាបៃ"
        assert size_text(300 * 1024, locale="km") == "៣០០ គីឡូបៃ"
        assert size_text(10, locale="en") == "1 KB"
