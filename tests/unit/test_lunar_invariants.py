"""The Khmer lunisolar arithmetic against its own invariants, on every day of 2000-2100.

Each Gregorian year's days are computed once (cached), so the whole file stays fast.
"""

from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise

import pytest

from webapp.letters.lunar import (
    ANIMALS,
    BE_TURN,
    BOSS,
    CHEIT,
    ERAS,
    JESTH,
    LEAP_DAY,
    LEAP_MONTH,
    PATHAMASADH,
    PISAKH,
    TUTIYASADH,
    LunarDate,
    _bodithey_leap,
    bodithey,
    khmer_new_year,
    leap_kind,
    lunar_date,
)

FIRST, LAST = 2000, 2100
YEARS = range(FIRST, LAST + 1)


@cache
def days_of(year: int) -> tuple[tuple[date, LunarDate], ...]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        days.append((day, lunar_date(day)))
        day += timedelta(days=1)
    return tuple(days)


def all_days() -> list[tuple[date, LunarDate]]:
    return [pair for year in YEARS for pair in days_of(year)]


def pairs():
    return pairwise(all_days())


def index(lunar: LunarDate) -> int:
    """Day of the lunar month from 0: 1 kert is 0, 1 roch is 15."""
    return lunar.day - 1 + (0 if lunar.waxing else 15)


def changes(year: int, field: str) -> list[date]:
    """The days of `year` on which `field` differs from the day before."""
    previous = lunar_date(date(year, 1, 1) - timedelta(days=1))
    found = []
    for day, lunar in days_of(year):
        if getattr(lunar, field) != getattr(previous, field):
            found.append(day)
        previous = lunar
    return found


def test_consecutive_days_advance_the_lunar_day_by_one_in_months_of_29_or_30_days():
    for (day, lunar), (_, after) in pairs():
        if after.month == lunar.month:
            assert index(after) == index(lunar) + 1, day
        else:
            assert index(after) == 0, day
            assert index(lunar) + 1 in (29, 30), day


def lunar_years() -> dict[int, list[tuple[int, int]]]:
    """(month, length) of every lunar year starting (1 kert Boss) inside 2000-2100, by its year number."""
    years: dict[int, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for day, lunar in all_days():
        if lunar.month == BOSS and index(lunar) == 0:
            current = years.setdefault(day.year + (1 if day.month == 12 else 0), [])
        if current is None:
            continue
        if not current or current[-1][0] != lunar.month:
            current.append((lunar.month, 0))
        month, length = current[-1]
        current[-1] = (month, length + 1)
    last = max(years)
    del years[last]  # cut off on 31 December 2100
    return years


def test_lunar_years_have_12_or_13_months_exactly_in_the_leap_month_years():
    years = lunar_years()
    assert len(years) >= 99
    for year, months in years.items():
        kind = leap_kind(year + 544)
        names = [month for month, _ in months]
        assert len(months) == (13 if kind == LEAP_MONTH else 12), year
        assert (PATHAMASADH in names and TUTIYASADH in names) == (kind == LEAP_MONTH), year
        assert dict(months)[JESTH] == (30 if kind == LEAP_DAY else 29), year
        assert all(length in (29, 30) for _, length in months), year
        assert sum(length for _, length in months) in (354, 355, 384), year
    leap_month_years = [year for year in years if leap_kind(year + 544) == LEAP_MONTH]
    assert 36 <= len(leap_month_years) <= 38  # seven in nineteen years


def test_the_new_year_falls_on_13_14_or_15_april():
    for year in YEARS:
        new_year = khmer_new_year(year)
        assert date(year, 4, 13) <= new_year.songkran_day <= date(year, 4, 15), year
        assert new_year.vanabat_days in (1, 2), year
        assert new_year.leung_sak == new_year.songkran_day + timedelta(days=new_year.vanabat_days + 1)
        # the moment the sun enters Mesha is on the Songkran day (at its very end at the latest)
        start = datetime.combine(new_year.songkran_day, datetime.min.time())
        assert start < new_year.songkran <= start + timedelta(days=1), year


def test_the_animal_year_changes_once_a_year_on_the_songkran_day():
    for year in YEARS:
        (day,) = changes(year, "animal")
        assert day == khmer_new_year(year).songkran_day, year
        before, after = lunar_date(day - timedelta(days=1)), lunar_date(day)
        assert ANIMALS.index(after.animal) == (ANIMALS.index(before.animal) + 1) % 12, year


def test_the_era_changes_once_a_year_on_leung_sak_two_or_three_days_after_songkran():
    for year in YEARS:
        (day,) = changes(year, "era")
        new_year = khmer_new_year(year)
        assert day == new_year.leung_sak, year
        assert (day - new_year.songkran_day).days in (2, 3), year
        before, after = lunar_date(day - timedelta(days=1)), lunar_date(day)
        assert ERAS.index(after.era) == (ERAS.index(before.era) + 1) % 10, year


def test_the_buddhist_era_rises_by_one_once_a_year_on_1_roch_pisakh_and_never_falls():
    turn_month, turn_index = BE_TURN
    for (_, lunar), (next_day, after) in pairs():
        step = after.buddhist_era - lunar.buddhist_era
        assert step in (0, 1), next_day
        assert (step == 1) == (after.month == turn_month and index(after) == turn_index), next_day
    for year in YEARS:
        (day,) = changes(year, "buddhist_era")
        visak = lunar_date(day - timedelta(days=1))
        assert (visak.day, visak.waxing, visak.month) == (15, True, PISAKH), (
            day
        )  # Visak Bochea the day before
        assert lunar_date(day).buddhist_era == year + 544
        assert lunar_date(date(year, 1, 1)).buddhist_era == year + 543  # no jump around 1 January
        assert lunar_date(date(year, 12, 31)).buddhist_era == year + 544


def test_leung_sak_from_the_sun_falls_on_the_lunar_day_the_bodithey_gives():
    """The two halves of the arithmetic agree: the solar Leung Sak is the Bodithey's lunar day."""
    for year in YEARS:
        be = year + 544
        day_number = bodithey(be)
        previous_month, previous_day = _bodithey_leap(be - 1)
        if previous_month and previous_day:  # a leap day deferred into this year moves the Leung Sak
            day_number = (day_number + 1) % 30
        lunar = lunar_date(khmer_new_year(year).leung_sak)
        if day_number >= 6:
            assert (lunar.month, index(lunar)) == (CHEIT, day_number - 1), year
        else:
            assert (lunar.month, index(lunar)) == (PISAKH, day_number), year


# Moments of Moha Songkran published by Khmer almanacs; the arithmetic counts the sun's motion in libda
# (24 minutes each), and almanac makers round or refine the minute.
PUBLISHED_SONGKRAN = [
    datetime(2011, 4, 14, 13, 12),
    datetime(2013, 4, 14, 2, 12),
    datetime(2014, 4, 14, 8, 7),
    datetime(2015, 4, 14, 14, 2),
    datetime(2024, 4, 13, 22, 17),
]
# First and last days of the New Year by the government's yearly holiday sub-decrees.
OFFICIAL_NEW_YEAR = {
    2016: (date(2016, 4, 13), date(2016, 4, 16)),
    2019: (date(2019, 4, 14), date(2019, 4, 16)),  # sub-decree of 4 October 2018
    2020: (date(2020, 4, 13), date(2020, 4, 16)),  # as first scheduled, before the postponement
    2024: (date(2024, 4, 13), date(2024, 4, 16)),
}


@pytest.mark.parametrize("moment", PUBLISHED_SONGKRAN, ids=str)
def test_songkran_is_within_half_an_hour_of_the_published_almanac(moment):
    computed = khmer_new_year(moment.year).songkran
    assert abs(computed - moment) <= timedelta(minutes=30)


@pytest.mark.parametrize(("year", "days"), OFFICIAL_NEW_YEAR.items())
def test_new_year_days_of_the_holiday_sub_decrees(year, days):
    new_year = khmer_new_year(year)
    assert (new_year.songkran_day, new_year.leung_sak) == days
