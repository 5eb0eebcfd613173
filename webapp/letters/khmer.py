"""Khmer text for letters: digits, official dates, riel amounts, and line-break points between words."""

import re
import unicodedata
from datetime import date

import khmercut

from webapp.letters.lunar import MONTH_NAMES, lunar_date

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
SOLAR_MONTHS = (
    "មករា",
    "កុម្ភៈ",
    "មីនា",
    "មេសា",
    "ឧសភា",
    "មិថុនា",
    "កក្កដា",
    "សីហា",
    "កញ្ញា",
    "តុលា",
    "វិច្ឆិកា",
    "ធ្នូ",
)
ZWSP = "\u200b"
# Invisible characters pasted from other software; U+200C/U+200D stay, they change how Khmer is shaped.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad]")
_KHMER_LETTER = re.compile(r"[\u1780-\u17b3\u19e0-\u19ff]")
COENG = "\u17d2"


def digits(value: object) -> str:
    """Arabic digits to Khmer digits (០-៩); other characters unchanged."""
    return str(value).translate(KHMER_DIGITS)


def solar_date(day: date) -> str:
    """The official form: ថ្ងៃទី២១ ខែវិច្ឆិកា ឆ្នាំ២០២៦."""
    return f"ថ្ងៃទី{digits(f'{day.day:02d}')} ខែ{SOLAR_MONTHS[day.month - 1]} ឆ្នាំ{digits(day.year)}"


def lunar_line(day: date) -> str:
    """The lunar line written above the solar date: ថ្ងៃសៅរ៍ ១២កើត ខែកត្តិក ឆ្នាំមមី អដ្ឋស័ក ព.ស. ២៥៧០."""
    lunar = lunar_date(day)
    phase = "កើត" if lunar.waxing else "រោច"
    return (
        f"ថ្ងៃ{lunar.weekday} {digits(lunar.day)}{phase} ខែ{MONTH_NAMES[lunar.month]} "
        f"ឆ្នាំ{lunar.animal} {lunar.era} ព.ស. {digits(lunar.buddhist_era)}"
    )


def riel(amount: int, locale: str) -> str:
    """KHR amounts: ៤០.០០០៛ in Khmer (CLDR groups with a dot), KHR 40,000 in English."""
    grouped = f"{amount:,}"
    if locale == "km":
        return digits(grouped.replace(",", ".")) + "៛"
    return f"KHR {grouped}"


def clean(text: str) -> str:
    """Composed (NFC) text without invisible characters, so shaping and segmenting see real letters."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def break_points(text: str) -> str:
    """Inserts U+200B between Khmer words, so Pango may wrap there; never inside a cluster, never beside
    a digit or a sign such as ។, and never twice."""
    text = clean(text)
    if not _KHMER_LETTER.search(text):
        return text
    tokens = khmercut.tokenize(text)
    out = [tokens[0]] if tokens else []
    for token in tokens[1:]:
        if _may_break(out[-1], token):
            out.append(ZWSP)
        out.append(token)
    return "".join(out)


def _may_break(before: str, after: str) -> bool:
    last, first = before[-1], after[0]
    if last == COENG or unicodedata.category(first) in ("Mn", "Mc") or first == COENG:
        return False  # would split a cluster: a subscript consonant or a vowel sign belongs to its base
    return bool(_KHMER_LETTER.match(last) and _KHMER_LETTER.match(first))
