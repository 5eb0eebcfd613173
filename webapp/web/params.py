"""Parsing what arrives in URLs: ids bounded to what the database holds, months and dates in a sane range.
A value outside them is refused with 404 (a path) or 400 (a query), never a 500."""

from datetime import date

from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

# Sala's ids are 32-bit integer columns (PostgreSQL refuses a larger value with an error, not a miss).
LARGEST_ID = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 2000, 2100  # Sala's records and reports lie well inside this


class IdConverter(IntegerConverter):
    """`<int:…>` for every route: at most 10 digits and at most 2^31-1, else the route does not match (404).

    The digit cap also keeps Python's int() from refusing very long strings with an error."""

    regex = r"\d{1,10}"

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def parse_month(value: str | None, *, default: date) -> date:
    """`YYYY-MM` as the month's first day; empty gives `default`; anything else is a 400."""
    return optional_month(value) or default


def optional_month(value: str | None) -> date | None:
    """`YYYY-MM` as the month's first day, None when empty; anything else is a 400."""
    if not value:
        return None
    try:
        year_text, month_text = value.split("-")
        if not (
            year_text.isdigit() and month_text.isdigit() and len(year_text) == 4 and len(month_text) <= 2
        ):
            raise ValueError(value)
        year, month = int(year_text), int(month_text)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)
        return date(year, month, 1)
    except ValueError as error:
        raise BadRequest() from error


def parse_date(value: str | None) -> date | None:
    """An ISO date inside Sala's years, or None when it is missing or not one."""
    try:
        day = date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def query_int(value: str | None, *, default: int, largest: int) -> int:
    """A small non-negative whole number from a query string (a page, a limit); anything else is `default`."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return default
    return min(int(text), largest)


LARGEST_PAGE = 2_000  # as the case lists: a deeper page is a search or a filter away


def page_number(value: str | None) -> int:
    """A 1-based page number from a query string; anything that is not one (text, huge) is the first page."""
    return max(query_int(value, default=1, largest=LARGEST_PAGE), 1)


def query_id(value: str | None) -> int | None:
    """A record id from a query string (`?referral=12`), None when missing or not one of Sala's ids."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > LARGEST_ID:
        return None
    return int(text)
