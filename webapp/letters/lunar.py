"""The Khmer lunisolar calendar, computed from the traditional arithmetic (Bodithey, Avoman, Aharkun).

The rules follow the Khmer almanac method ("Pratitin Soryakkatik-Chankatik"): for a Buddhist Era year, the
Aharkun (days since the era), the Avoman (the moon's excess) and the Bodithey (the lunar day at Songkran)
decide whether the year adds a 13th month (a second Asadh) or a 30th day to Jesth. Lunar years here run from
1 kert of Boss (around January) to the end of Mikasay, counted from an epoch day known to be 1 kert Boss.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

# Month order inside a Boss-to-Mikasay year; Asadh becomes Pathamasadh + Tutiyasadh in a leap-month year.
BOSS, MEAK, PHALKUN, CHEIT, PISAKH, JESTH, ASADH, SRAP, PHATROBOT, ASSUJ, KADEUK, MIKASAY = range(12)
PATHAMASADH, TUTIYASADH = 12, 13
MONTH_NAMES = {
    BOSS: "បុស្ស",
    MEAK: "មាឃ",
    PHALKUN: "ផល្គុន",
    CHEIT: "ចេត្រ",
    PISAKH: "ពិសាខ",
    JESTH: "ជេស្ឋ",
    ASADH: "អាសាឍ",
    SRAP: "ស្រាពណ៍",
    PHATROBOT: "ភទ្របទ",
    ASSUJ: "អស្សុជ",
    KADEUK: "កត្តិក",
    MIKASAY: "មិគសិរ",
    PATHAMASADH: "បឋមាសាឍ",
    TUTIYASADH: "ទុតិយាសាឍ",
}
WEEKDAYS = ("ចន្ទ", "អង្គារ", "ពុធ", "ព្រហស្បតិ៍", "សុក្រ", "សៅរ៍", "អាទិត្យ")  # Monday first, as date.weekday()
ANIMALS = ("ជូត", "ឆ្លូវ", "ខាល", "ថោះ", "រោង", "ម្សាញ់", "មមី", "មមែ", "វក", "រកា", "ច", "កុរ")
ERAS = ("សំរឹទ្ធិស័ក", "ឯកស័ក", "ទោស័ក", "ត្រីស័ក", "ចត្វាស័ក", "បញ្ចស័ក", "ឆស័ក", "សប្តស័ក", "អដ្ឋស័ក", "នព្វស័ក")
EPOCH = date(1900, 1, 1)  # 1 kert Boss, the almanac's reference day
REGULAR, LEAP_MONTH, LEAP_DAY = 0, 1, 2


@dataclass(frozen=True)
class LunarDate:
    day: int  # 1-15
    waxing: bool  # កើត (waxing) or រោច (waning)
    month: int  # one of the month constants above
    animal: str
    era: str
    buddhist_era: int
    weekday: str


def aharkun(be: int) -> int:
    return (be * 292207 + 499) // 800 + 4


def kromthupul(be: int) -> int:
    return 800 - (be * 292207 + 499) % 800


def avoman(be: int) -> int:
    return (aharkun(be) * 11 + 25) % 692


def bodithey(be: int) -> int:
    ahk = aharkun(be)
    return ((ahk * 11 + 25) // 692 + ahk + 29) % 30


def is_solar_leap(be: int) -> bool:
    return kromthupul(be) <= 207


def _bodithey_leap(be: int) -> tuple[bool, bool]:
    """(leap month, leap day) by the Bodithey and Avoman rules, before the one-kind-a-year protocol."""
    b = bodithey(be)
    month = b >= 25 or b <= 5
    if b == 25 and bodithey(be + 1) == 5:  # of 25 then 5 in a row, only the 5 takes the month
        month = False
    if b == 24 and bodithey(be + 1) == 6:  # of 24 then 6 in a row, the 24 takes the month
        month = True
    a = avoman(be)
    day = a <= 126 if is_solar_leap(be) else a <= 137 and avoman(be + 1) != 0
    return month, day


@cache
def leap_kind(be: int) -> int:
    """By royal protocol a year takes one kind of leap; a deferred leap day moves to the next year."""
    month, day = _bodithey_leap(be)
    if month:
        return LEAP_MONTH
    if day:
        return LEAP_DAY
    previous_month, previous_day = _bodithey_leap(be - 1)
    return LEAP_DAY if previous_month and previous_day else REGULAR


def months_of(year: int) -> tuple[tuple[int, int], ...]:
    """(month, length) for the lunar year that starts with Boss near January of Gregorian `year`."""
    kind = leap_kind(year + 544)
    asadh = ((PATHAMASADH, 30), (TUTIYASADH, 30)) if kind == LEAP_MONTH else ((ASADH, 30),)
    jesth = 30 if kind == LEAP_DAY else 29
    return (
        (BOSS, 30),
        (MEAK, 29),
        (PHALKUN, 30),
        (CHEIT, 29),
        (PISAKH, 30),
        (JESTH, jesth),
        *asadh,
        (SRAP, 29),
        (PHATROBOT, 30),
        (ASSUJ, 29),
        (KADEUK, 30),
        (MIKASAY, 29),
    )


@cache
def year_start(year: int) -> date:
    """1 kert Boss of the lunar year that starts near January of `year` (counted from the epoch)."""
    if year <= EPOCH.year:
        return EPOCH if year == EPOCH.year else year_start(year + 1) - timedelta(days=_length(year))
    return year_start(year - 1) + timedelta(days=_length(year - 1))


def _length(year: int) -> int:
    return sum(length for _, length in months_of(year))


def _month_and_day(day: date) -> tuple[int, int, int]:
    """(lunar year, month, day index from 0) of a Gregorian day."""
    year = next(y for y in (day.year + 1, day.year, day.year - 1) if day >= year_start(y))
    offset = (day - year_start(year)).days
    for month, length in months_of(year):
        if offset < length:
            return year, month, offset
        offset -= length
    raise AssertionError("a day past the end of its lunar year")  # unreachable: lengths sum to the year


def lunar_date(day: date) -> LunarDate:
    year, month, index = _month_and_day(day)
    return LunarDate(
        day=index + 1 if index < 15 else index - 14,
        waxing=index < 15,
        month=month,
        animal=ANIMALS[(day.year - 2020 - (0 if _after_new_year(day) else 1)) % 12],
        era=ERAS[(day.year - 638 - (0 if _after_leungsak(day) else 1)) % 10],
        buddhist_era=day.year + 543 + (1 if _after_visak(year, month, index) else 0),
        weekday=WEEKDAYS[day.weekday()],
    )


def _after_visak(year: int, month: int, index: int) -> bool:
    """The Buddhist Era turns on 1 roch Pisakh, the day after Visak Bochea."""
    order = [m for m, _ in months_of(year)]
    return order.index(month) > order.index(PISAKH) or (month == PISAKH and index >= 15)


def _after_new_year(day: date) -> bool:
    """The animal year turns at Moha Songkran, taken as 14 April (13 April in some years: see README)."""
    return (day.month, day.day) >= (4, 14)


def _after_leungsak(day: date) -> bool:
    """The era (sak) turns on Leungsak, the new year's last day, taken as 16 April."""
    return (day.month, day.day) >= (4, 16)
