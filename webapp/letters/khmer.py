"""Khmer text for letters: digits, official dates, riel amounts, and line-break points between words."""

import itertools
import re
import threading
import unicodedata
from collections.abc import Callable
from datetime import date

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
WJ = "\u2060"
# Invisible characters pasted from other software; U+200C/U+200D stay, they change how Khmer is shaped.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad]")
_INVISIBLE_KEPT_WJ = re.compile("[\u200b\u200e\u200f\ufeff\u00ad]")
_ICU = threading.local()
_ONE_CLUSTER = re.compile(r"[\u1780-\u17a2][\u17b6-\u17d1]*")
_KHMER_LETTER = re.compile(r"[\u1780-\u17b3\u19e0-\u19ff]")
_KHMER_SIGN = re.compile(r"[\u17b6-\u17d1\u17d3\u17dd]")  # vowel signs and diacritics (not the coeng)
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


def protect(name: str) -> str:
    """A person's or a place's name that lines may break only at its spaces: U+2060 WORD JOINER between
    its Khmer clusters, which `break_points` keeps and never breaks (a segmenter splits names it does not
    know, សីហមុនីវ|រ្ម័ន)."""
    text = clean(name)
    out = text[:1]
    for before, after in itertools.pairwise(text):
        if may_break(before, after):
            out += WJ
        out += after
    return out


def icu_words(text: str) -> list[str]:
    """Words by ICU's dictionary break iterator. Runs of one-cluster pieces, which ICU returns for a word
    its dictionary lacks (ជាស|មា|ជិ|ក), are kept together."""
    iterator = getattr(_ICU, "iterator", None)
    if iterator is None:  # one per thread: an iterator keeps the text it is given
        import icu  # PyICU

        iterator = _ICU.iterator = icu.BreakIterator.createWordInstance(icu.Locale("km"))
    if any(ord(char) > 0xFFFF for char in text):  # ICU counts UTF-16 units; Khmer and Latin are one each
        return [text]
    iterator.setText(text)
    ends = list(iterator)
    words: list[str] = []
    previous = ""
    for start, end in zip([0, *ends], ends, strict=False):
        word = text[start:end]
        if words and _one_cluster(word) and _one_cluster(previous):
            words[-1] += word
        else:
            words.append(word)
        previous = word
    return words


def _one_cluster(piece: str) -> bool:
    """A single Khmer consonant with its signs, no subscript (មា, ជិ, ក)."""
    return bool(_ONE_CLUSTER.fullmatch(piece))


def khmercut_words(text: str) -> list[str]:
    import khmercut

    return list(khmercut.tokenize(text))


def break_points(text: str, words: Callable[[str], list[str]] | None = None) -> str:
    """Inserts U+200B between Khmer words, so Pango may wrap there; never inside a cluster, never beside
    a digit or a sign such as ។, never twice, and never inside a name joined by `protect` (U+2060)."""
    text = _INVISIBLE_KEPT_WJ.sub("", unicodedata.normalize("NFC", text))
    joined = _joined(text)
    plain = text.replace(WJ, "")
    if not _KHMER_LETTER.search(plain):
        return plain
    breaks, position = set(), 0
    tokens = (words or WORDS)(plain)
    for before, after in itertools.pairwise(tokens):
        position += len(before)
        if may_break(before, after):
            breaks.add(position)
    out = []
    for index, char in enumerate(plain):
        if index in joined:
            out.append(WJ)
        elif index in breaks:
            out.append(ZWSP)
        out.append(char)
    return "".join(out)


def _joined(text: str) -> set[int]:
    """Offsets in `text` without its word joiners where a joiner stood between two Khmer clusters (a
    joiner anywhere else, pasted from other software, is dropped)."""
    joined, removed = set(), 0
    for index, char in enumerate(text):
        if char != WJ:
            continue
        before, after = text[index - 1 : index], text[index + 1 : index + 2]
        if before and after and after != WJ and may_break(before, after):
            joined.add(index - removed)
        removed += 1
    return joined


def may_break(before: str, after: str) -> bool:
    """Whether a line may break between these two pieces of Khmer text."""
    last, first = before[-1], after[0]
    if last == COENG or unicodedata.category(first) in ("Mn", "Mc") or first == COENG:
        return False  # would split a cluster: a subscript consonant or a vowel sign belongs to its base
    # After a word ending in a sign (សម្រាប់, ខ្ញុំ) as after one ending in a letter; never beside ។ or a digit.
    return bool((_KHMER_LETTER.match(last) or _KHMER_SIGN.match(last)) and _KHMER_LETTER.match(first))


# The segmenter letters use: see bench/khmer_segmenter.py for the comparison.
WORDS: Callable[[str], list[str]] = icu_words
