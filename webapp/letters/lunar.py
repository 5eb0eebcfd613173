"""The Khmer lunisolar calendar, from the traditional arithmetic (Bodithey, Avoman, Aharkun, Songkran).

Sources. The method is the one of the Khmer almanac ("Pratitin Soryakkatik-Chankatik", the solar and lunar
calendar for 1900-1999 and 2000-2099 by Roath Kim Soeun, and his book on the Leung Sak and Moha Songkran,
"Atta Leung Sak ning Moha Songkran"), as set out for programmers in the Khmer Chhankitek description of the
Cambodian Computer Center and implemented in the public Khmer calendar libraries (momentkh, chhankitek). It is
the Surya Siddhanta arithmetic shared with the Thai "Suriyayatra": a solar year of 292207/800 days counted
from the Chula Sakarat era (22 March 638 in the Julian calendar).

Lunar months. For a Buddhist Era year, the Aharkun (days since the era), the Avoman (the moon's excess)
and the Bodithey (the lunar day at the New Year) decide whether the year adds a 13th month (a second Asadh)
or a 30th day to Jesth; by royal protocol a year takes one kind of leap, a deferred leap day moves to the
next year. Lunar years here run from 1 kert of Boss (around January) to the end of Mikasay, counted from an
epoch day known to be 1 kert Boss.

New Year (Moha Songkran). For the Chula Sakarat year j (j = Gregorian year - 638), the Horakun
floor((292207 j + 373) / 800) + 1 counts the days from the era to the Leung Sak, the day the era year (sak)
changes, and the Kromathupol 800 - (292207 j + 373) mod 800 is what is left of that day; a Kromathupol of 207
or less makes the year 366 days long. The sun's mean longitude on the Sotin day s (days since the previous
Leung Sak) is (800 s + Kromathupol of year j - 1) / 24350 signs, read as reasey (signs), angsar (degrees) and
libda (arc minutes, by 811 and 14 parts, less 3); the equation of the centre (phol) is read from the table
of chhaya differences (35, 32, 27, 22, 13, 5 per half-sign of the anomaly, 134 libda at most) with the apogee
at 2 signs 20 degrees. Of the last four Sotin days of the previous year, the first on which the true sun
stands in the first degree of Mesha is the day of Moha Songkran, the New Year's first day, on which the
animal year changes; the sun entered Mesha (libda x 24) minutes before the end of that day. If that is the
first of the four days, two Vanabat days follow, otherwise one; then comes the Leung Sak. The Songkran falls
on 13, 14 or 15 April (2000-2100) and the Leung Sak two or three days later. A letter dated on
the Songkran day carries the new animal year, whatever the hour. The Leung Sak so computed from the sun
always falls on the lunar day the Bodithey gives it (tested for 2000-2100).

Buddhist Era. The BE year counts lunar years: it turns once a year, on 1 roch Pisakh, the day after Visak
Bochea (15 kert Pisakh, the Buddha's parinibbana), as the Ministry of Cults and Religion recalled in 2018 and
the Chuon Nath dictionary defines it, so it never jumps around 1 January.

Spelling. Month and era names use coeng DA (U+17D2 U+178A) where official texts write it: កត្ដិក, សប្ដស័ក.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
    KADEUK: "កត្ដិក",
    MIKASAY: "មិគសិរ",
    PATHAMASADH: "បឋមាសាឍ",
    TUTIYASADH: "ទុតិយាសាឍ",
}
WEEKDAYS = ("ចន្ទ", "អង្គារ", "ពុធ", "ព្រហស្បតិ៍", "សុក្រ", "សៅរ៍", "អាទិត្យ")  # Monday first, as date.weekday()
ANIMALS = ("ជូត", "ឆ្លូវ", "ខាល", "ថោះ", "រោង", "ម្សាញ់", "មមី", "មមែ", "វក", "រកា", "ច", "កុរ")
ERAS = ("សំរឹទ្ធិស័ក", "ឯកស័ក", "ទោស័ក", "ត្រីស័ក", "ចត្វាស័ក", "បញ្ចស័ក", "ឆស័ក", "សប្ដស័ក", "អដ្ឋស័ក", "នព្វស័ក")
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
    new_year = khmer_new_year(day.year)
    animal_year = day.year if day >= new_year.songkran_day else day.year - 1
    era_year = day.year if day >= new_year.leung_sak else day.year - 1
    return LunarDate(
        day=index + 1 if index < 15 else index - 14,
        waxing=index < 15,
        month=month,
        animal=ANIMALS[(animal_year - 2020) % 12],
        era=ERAS[(era_year - 638) % 10],
        buddhist_era=year + 543 + (1 if _after_be_turn(year, month, index) else 0),
        weekday=WEEKDAYS[day.weekday()],
    )


# The Buddhist Era turns on this lunar day (month, day index from 0): 1 roch Pisakh, the day after Visak.
BE_TURN = (PISAKH, 15)


def _after_be_turn(year: int, month: int, index: int) -> bool:
    """Whether a day of the lunar year `year` is on or after the day the Buddhist Era turns."""
    order = [m for m, _ in months_of(year)]
    turn_month, turn_index = BE_TURN
    return order.index(month) > order.index(turn_month) or (month == turn_month and index >= turn_index)


# Songkran arithmetic. Angles in libda (arc minutes): 60 libda an angsar (degree), 30 angsar a reasey (sign).
ANGSAR, REASEY = 60, 1800
CIRCLE = 12 * REASEY
APOGEE = 2 * REASEY + 20 * ANGSAR  # the sun's apogee, 2 signs 20 degrees
# Sine-difference table of the equation of the centre, one row per half-sign (15 degrees) of the anomaly:
# (libda gained over the half-sign, libda at its start); 134 libda past the last row.
CHHAYA = ((35, 0), (32, 35), (27, 67), (22, 94), (13, 116), (5, 129))
CHHAYA_MAX = 134
CHULA_SAKARAT_EPOCH = date(638, 3, 25)  # Leung Sak of year 0 (22 March 638, Julian), proleptic Gregorian


@dataclass(frozen=True)
class NewYear:
    """The Khmer New Year of one Gregorian year, by the almanac's Songkran arithmetic."""

    songkran: datetime  # the moment the sun enters Mesha (Cambodian local time)
    songkran_day: date  # the day of Moha Songkran, the festival's first day: the animal year changes
    vanabat_days: int  # 1 or 2 days between Songkran and Leung Sak
    leung_sak: date  # the festival's last day: the era (sak) changes


def horakun(js: int) -> int:
    """Days from the Chula Sakarat era to the Leung Sak of the Chula Sakarat year `js`."""
    return (292207 * js + 373) // 800 + 1


def kromathupol(js: int) -> int:
    """What is left of the Leung Sak day of year `js`, in 800ths of a day; 207 or less: a 366-day year."""
    return 800 - (292207 * js + 373) % 800


def _true_sun(js: int, sotin: int) -> int:
    """The sun's true longitude in libda on Sotin day `sotin` (days since the Leung Sak of year js - 1)."""
    reasey, rest = divmod(800 * sotin + kromathupol(js - 1), 24350)
    angsar, rest = divmod(rest, 811)
    mean = reasey * REASEY + angsar * ANGSAR + rest // 14 - 3
    anomaly = (mean - APOGEE) % CIRCLE
    quadrant = anomaly // (3 * REASEY)
    # distance of the anomaly from the apsides line (0 or 6 signs), the argument of the equation table
    arc = (anomaly, 6 * REASEY - anomaly, anomaly - 6 * REASEY, CIRCLE - anomaly)[quadrant]
    row, into = divmod(arc, REASEY // 2)
    gain, base = CHHAYA[row] if row < len(CHHAYA) else (0, CHHAYA_MAX)
    phol = base + into * gain // (REASEY // 2)
    return mean - phol if anomaly < 6 * REASEY else mean + phol


@cache
def khmer_new_year(year: int) -> NewYear:
    """Moha Songkran, Vanabat and Leung Sak of the New Year in April of the Gregorian `year`."""
    js = year - 638
    leung_sak = CHULA_SAKARAT_EPOCH + timedelta(days=horakun(js) - 1)
    previous_length = horakun(js) - horakun(js - 1)  # 365 or 366, the last Sotin is the Leung Sak
    last_days = range(previous_length - 3, previous_length + 1)
    suns = [_true_sun(js, sotin) for sotin in last_days]
    first = next((i for i, sun in enumerate(suns) if sun % CIRCLE < ANGSAR), len(suns))
    if first > 1:
        raise ValueError(f"no Songkran in the last four days before Leung Sak {year}")  # none in 1000-3000
    vanabat_days = 2 - first
    songkran_day = leung_sak - timedelta(days=vanabat_days + 1)
    minutes = 24 * 60 - (suns[first] % ANGSAR) * 24  # the sun moves a libda in 24 minutes
    songkran = datetime.combine(songkran_day, datetime.min.time()) + timedelta(minutes=minutes)
    return NewYear(songkran, songkran_day, vanabat_days, leung_sak)
