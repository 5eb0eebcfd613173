"""Names and identity numbers as the registry keeps them: cleaned once on the way in, with matching keys.

Three forms of a name exist in Sala:
- the **display** form (`clean_name`): the spelling the officer typed, in NFC, without the invisible
  characters that make two equal-looking names differ (zero-width spaces and joiners, bidirectional controls,
  the soft hyphen, the deprecated inherent vowels U+17B4/U+17B5), single spaces. Pages and letters show it.
- the **Khmer key** (`khmer_key`): the display form with every look-alike spelling folded to one, so that two
  spellings a reader cannot tell apart are equal. Never shown.
- the **Latin key** (`latin_key`): a transliteration folded for the usual variants of Khmer romanisation
  (Sokha/Sokhaa, Chan/Chanh, Srey/Srei, Chhoeun/Choeun, Chea/Chia, Ouk/Uk), words sorted so that the family
  name may come first or last. Never shown.

Identity numbers (`id_number_key`) are stored in one form: ASCII digits and capital letters, without spaces,
dashes, dots or slashes; Khmer digits are accepted.

Pure functions: the registry services, the application intake, imports and the search all call them, so the
rule lives here once.
"""

import re
import unicodedata

# Characters a reader cannot see: zero-width space, non-joiner and joiner, word joiner, invisible operators,
# bidirectional marks, embeddings, overrides and isolates, the BOM, the soft hyphen, the Mongolian vowel
# separator, and the two Khmer inherent vowels Unicode deprecates. C0/C1 controls go too.
_INVISIBLE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\u17b4\u17b5]"
)
_SPACES = re.compile(r"\s+")

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII_DIGITS = str.maketrans({khmer: str(value) for value, khmer in enumerate(KHMER_DIGITS)})
_FROM_ASCII_DIGITS = str.maketrans({str(value): khmer for value, khmer in enumerate(KHMER_DIGITS)})

COENG = "\u17d2"
_RO = "\u179a"
_KHMER_LETTER = "\u1780-\u17b3"  # consonants and independent vowels
_REPEAT = "\u17d7"  # ៗ: the word before is said twice

# Look-alike spellings folded for matching, applied in this order (each pair renders the same, or is a
# spelling variant readers take as the same name).
_FOLDS: tuple[tuple[str, str], ...] = (
    (COENG + "\u178a", COENG + "\u178f"),  # coeng DA ្ដ and coeng TA ្ត: one subscript glyph
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា typed in two keystrokes is ោ
    ("\u17c1\u17b8", "\u17be"),  # េ + ី is ើ
    ("\u17c1\u17c0", "\u17c0"),  # េ typed before ៀ (which already carries it)
    ("\u17c1\u17c1", "\u17c1"),  # a doubled េ renders once
    ("\u17c6\u17bb", "\u17bb\u17c6"),  # ំ typed before ុ: the same ុំ
    ("\u17c6\u17b6", "\u17b6\u17c6"),  # ំ typed before ា: the same ាំ
    ("\u17cb\u17b6", "\u17b6\u17cb"),  # bantoc before ា
    ("\u17a3", "\u17a2"),  # deprecated ឣ is អ
    ("\u17a4", "\u17a2\u17b6"),  # deprecated ឤ is អា
    ("\u17b2", "\u17b1"),  # ឲ and ឱ: two spellings of the same vowel
    ("\u17cd", "\u17d0"),  # toandakhiat ៍ and samyok sannya ័ are confused in names (ស័ក/ស៍ក)
)
# A subscript RO typed before another subscript renders after it: ស្រ្ត and ស្ត្រ are one cluster.
_RO_FIRST = re.compile(COENG + _RO + "(" + COENG + "[" + _KHMER_LETTER + "])")
_REPEATED_WORD = re.compile("([^\\s" + _REPEAT + "]+)\\s*" + _REPEAT)


def to_ascii_digits(value: str) -> str:
    """`value` with Khmer digits written as ASCII digits."""
    return value.translate(_TO_ASCII_DIGITS)


def to_khmer_digits(value: str) -> str:
    return value.translate(_FROM_ASCII_DIGITS)


def clean_name(value: str) -> str:
    """The display form of a typed name: NFC, invisible characters removed, single spaces, trimmed."""
    text = unicodedata.normalize("NFC", value)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def khmer_key(value: str) -> str:
    """The matching key of a Khmer name: look-alikes folded, ៗ spelled out, digits in ASCII, no spaces.

    Two names a reader cannot tell apart have the same key; the key is never shown."""
    text = clean_name(value)
    text = _REPEATED_WORD.sub(lambda found: found.group(1) + found.group(1), text)
    text = text.replace(_REPEAT, "")
    for typed, folded in _FOLDS:
        text = text.replace(typed, folded)
    text = _RO_FIRST.sub(lambda found: found.group(1) + COENG + _RO, text)
    text = to_ascii_digits(text).casefold()  # a Latin letter typed inside a Khmer name is matched too
    return text.replace(" ", "")


# The romanisation fold, applied word by word after accents and case are gone; order matters.
_LATIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(.)\1+"), r"\1"),  # double letters: Sokhaa, Chhoeun, Vannak
    (re.compile(r"w"), "v"),  # Wong, Vong
    (re.compile(r"ou|oo|uo(?=[^r]|$)"), "u"),  # Ouk/Uk, Sourn/Surn
    (re.compile(r"ea|ie|ia"), "ia"),  # Chea/Chia, Phean/Phian
    (re.compile(r"(?<=.)y"), "i"),  # Srey/Srei, Pheaky/Pheaki (a first y stays: Yim)
    (re.compile(r"ei"), "i"),  # Srei (y already folded to i) and Sri
    (re.compile(r"(?<=[^cksptr])h"), ""),  # an h that marks no aspiration: Chanh, Darah, Nhem stays Nem
    (re.compile(r"(?<=.)h$"), ""),  # a final h after an aspirate: Sokh/Sok
    (re.compile(r"(.)\1+"), r"\1"),  # doubles the folds made
)
_NOT_LETTER = re.compile(r"[^a-z ]+")


def latin_word_key(word: str) -> str:
    for pattern, replacement in _LATIN_RULES:
        word = pattern.sub(replacement, word)
    return word


def latin_key(value: str) -> str:
    """The matching key of a romanised name: no accents, casefolded, romanisation variants folded, words
    sorted (family name first or last alike), single spaces."""
    text = unicodedata.normalize("NFKD", clean_name(value))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    words = _NOT_LETTER.sub(" ", text).split()
    return " ".join(sorted(key for key in (latin_word_key(word) for word in words) if key))


def name_key(value: str) -> str:
    """The key of a typed search text or name in either script: Khmer key if it holds Khmer letters."""
    return khmer_key(value) if has_khmer(value) else latin_key(value)


def khmer_words(value: str) -> list[str]:
    """The Khmer key of each word of `value` as typed (between spaces), empty ones left out."""
    return [key for key in dict.fromkeys(khmer_key(word) for word in clean_name(value).split(" ")) if key]


def name_tokens(name_km: str, name_latin: str) -> list[str]:
    """The words the people search looks up for a person: the Khmer key of each Khmer word and of the whole
    Khmer name (names are often typed without a space), and each word of the Latin key. No duplicates."""
    tokens = [*khmer_words(name_km), khmer_key(name_km), *latin_key(name_latin).split()]
    return [token for token in dict.fromkeys(tokens) if token]


def has_khmer(value: str) -> bool:
    return any("\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff" for char in value)


_ID_SEPARATORS = re.compile(r"[\s\-./_\u2010-\u2015]+")
_ID_SHAPE = re.compile(r"[0-9A-Z]{1,40}")


def id_number_key(value: str) -> str:
    """An identity or family book number in its one stored form: Khmer digits in ASCII, capital letters,
    spaces, dashes, dots and slashes removed. Empty when nothing is left."""
    text = to_ascii_digits(clean_name(value)).upper()
    text = unicodedata.normalize("NFKC", text)  # full-width digits typed on some phones
    return _ID_SEPARATORS.sub("", text)


def is_id_number(value: str) -> bool:
    """Whether `value` (through `id_number_key` already) is well formed: 1 to 40 digits or letters."""
    return bool(_ID_SHAPE.fullmatch(value))
