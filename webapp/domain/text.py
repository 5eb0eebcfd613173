"""Text from outside: invisible characters that can disguise what a reader sees are removed."""

import csv
import re
from collections.abc import Iterable
from typing import TextIO

# Bidirectional embeddings, overrides and isolates, the directional marks, invisible operators, the BOM and
# C0/C1 control characters (tab and line breaks stay). U+200B-U+200D stay: Khmer uses them between words and
# inside clusters.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    "\u061c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def clean_text(value: str) -> str:
    """`value` without bidirectional controls and other invisible format characters; nothing else changes."""
    return _INVISIBLE.sub("", value)


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell value that a spreadsheet shows as text: a leading quote disarms a formula; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer for every export of Sala: each text cell goes through `spreadsheet_safe`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([spreadsheet_safe(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
