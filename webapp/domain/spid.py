"""The Sala person identifier, shaped like the planned unique social protection identifier (SPID).

Twelve digits: the province code where the person was first registered (2 digits), a sequence number within
that province (9 digits), and a check digit (Damm's algorithm, which catches every single wrong digit and
every swap of two neighbouring digits). It is printed in groups of four: ``1700 0000 0012``. The identifier
never changes, even when the person moves to another province; only merged-away duplicates stop being used.
"""

import re

from webapp.domain.khmer_names import to_ascii_digits

SPID_LENGTH = 12
SEQUENCE_DIGITS = 9
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1

# Damm's quasigroup of order 10 (weakly totally anti-symmetric): check digit = the interim digit after all.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = re.compile(r"[\s\-.]+")


def check_digit(digits: str) -> str:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return str(interim)


def make_spid(province_code: str, sequence: int) -> str:
    """The identifier of the `sequence`-th person registered in `province_code` (two digits)."""
    if not (len(province_code) == 2 and province_code.isascii() and province_code.isdigit()):
        raise ValueError(f"A province code has two digits: {province_code!r}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"The sequence is out of range: {sequence}")
    body = f"{province_code}{sequence:0{SEQUENCE_DIGITS}d}"
    return body + check_digit(body)


def parse_spid(value: str) -> str | None:
    """The identifier typed in `value` (spaces, dashes and Khmer digits allowed), or None if it is not one."""
    text = _SEPARATORS.sub("", to_ascii_digits(value))
    if len(text) != SPID_LENGTH or not (text.isascii() and text.isdigit()):
        return None
    return text if is_valid_spid(text) else None


def is_valid_spid(value: str) -> bool:
    """Twelve ASCII digits whose check digit holds (Damm: the whole number checks to 0)."""
    if len(value) != SPID_LENGTH or not (value.isascii() and value.isdigit()):
        return False
    return check_digit(value) == "0" and int(value[2:-1]) >= 1


def format_spid(value: str) -> str:
    """``170000000012`` printed as ``1700 0000 0012``."""
    return " ".join(value[start : start + 4] for start in range(0, len(value), 4))
