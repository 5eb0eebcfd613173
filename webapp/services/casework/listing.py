"""Lists read one page at a time: a list declares its filters (each parsed from a query string into an SQL
condition), a whitelist of sorts and its page size; every list page (inbox, cases, grievances, letters,
deadlines) reads through here, and officers' saved views are re-validated by the same parsing."""

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import ColumnElement, Select, and_, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.domain.clock import PHNOM_PENH
from webapp.domain.text import clean_text

T = TypeVar("T")
PER_PAGE = 50
LARGEST_PAGE = 2_000  # offset pages beyond this are refused: a keyset or a filter is the way there
LONGEST_VALUE = 200  # characters of one raw query value considered at all
FIRST_YEAR, LAST_YEAR = 2000, 2100
PAGE, AFTER, BEFORE, SORT = "page", "after", "before", "sort"


class Refused(ValueError):
    """A filter value that does not parse: the list ignores it and says so."""


Condition = ColumnElement[bool]


class Filter(ABC):
    """One filter of a list: `parse` turns the raw text into a value (Refused when malformed), `condition`
    turns the value into a WHERE condition. `now` is the instant the list is read at."""

    @abstractmethod
    def parse(self, raw: str) -> Any: ...

    @abstractmethod
    def condition(self, value: Any, now: datetime) -> Condition: ...

    def text(self, value: Any) -> str:
        """The value as it goes back into a link."""
        return value.isoformat() if isinstance(value, date) else str(value)


@dataclass(frozen=True)
class Choice(Filter):
    """One of a fixed set of values."""

    values: Collection[str]
    build: Callable[[str], Condition]

    def parse(self, raw: str) -> str:
        if raw not in self.values:
            raise Refused(raw)
        return raw

    def condition(self, value: str, now: datetime) -> Condition:
        return self.build(value)


_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{1,80}")


@dataclass(frozen=True)
class Token(Filter):
    """A code of Sala's own (a programme, a step of a process): letters, digits, '_', '.', '-'."""

    build: Callable[[str], Condition]

    def parse(self, raw: str) -> str:
        if not _TOKEN.fullmatch(raw):
            raise Refused(raw)
        return raw

    def condition(self, value: str, now: datetime) -> Condition:
        return self.build(value)


@dataclass(frozen=True)
class AreaCode(Filter):
    """An area code (province 2 digits ... village 8); the list's own area rule still applies on top."""

    build: Callable[[str], Condition]

    def parse(self, raw: str) -> str:
        if not (raw.isascii() and raw.isdigit() and len(raw) in (2, 4, 6, 8)):
            raise Refused(raw)
        return raw

    def condition(self, value: str, now: datetime) -> Condition:
        return self.build(value)


@dataclass(frozen=True)
class Day(Filter):
    """A day as YYYY-MM-DD inside Sala's years; `build` receives the date."""

    build: Callable[[date], Condition]

    def parse(self, raw: str) -> date:
        try:
            day = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise Refused(raw)
        return day

    def condition(self, value: date, now: datetime) -> Condition:
        return self.build(value)


@dataclass(frozen=True)
class Text(Filter):
    """Free text (a reference, a name): invisible controls removed, at most `longest` characters."""

    build: Callable[[str], Condition]
    longest: int = 60

    def parse(self, raw: str) -> str:
        text = " ".join(clean_text(raw).split())
        if len(text) > self.longest:
            raise Refused(raw)
        return text

    def condition(self, value: str, now: datetime) -> Condition:
        return self.build(value)


DEADLINE_STATES = ("on_track", "at_risk", "breached")


@dataclass(frozen=True)
class Deadline(Filter):
    """On track, at risk or breached at the moment the list is read, from the due and at-risk instants stored
    on each task (an indexed comparison)."""

    due: InstrumentedAttribute[datetime | None]
    at_risk: InstrumentedAttribute[datetime | None]
    states: Collection[str] = DEADLINE_STATES
    wrap: Callable[[Condition], Condition] | None = None  # e.g. "the record has an open task in this state"

    def parse(self, raw: str) -> str:
        if raw not in self.states:
            raise Refused(raw)
        return raw

    def condition(self, value: str, now: datetime) -> Condition:
        state = self._state(value, now)
        return self.wrap(state) if self.wrap is not None else state

    def _state(self, value: str, now: datetime) -> Condition:
        if value == "breached":
            return self.due <= now
        if value == "at_risk":
            return and_(self.at_risk <= now, self.due > now)
        return or_(self.due.is_(None), self.at_risk > now)


def day_start(day: date) -> datetime:
    """The first instant of a Cambodian day as naive UTC, the form instants are stored in."""
    return datetime.combine(day, time(), PHNOM_PENH).astimezone(UTC).replace(tzinfo=None)


def on_or_after(column: InstrumentedAttribute[datetime]) -> Callable[[date], Condition]:
    return lambda day: column >= day_start(day)


def on_or_before(column: InstrumentedAttribute[datetime]) -> Callable[[date], Condition]:
    return lambda day: column < day_start(day + timedelta(days=1))


@dataclass(frozen=True)
class Sort:
    """An order of the list. A keyset sort is (an instant, an id) in one direction and pages by cursor, so
    a deep page costs what the first does; any other sort pages by offset."""

    columns: tuple[Any, ...]
    keyset: tuple[InstrumentedAttribute[datetime], InstrumentedAttribute[int]] | None = None
    descending: bool = False


@dataclass(frozen=True)
class ListSpec:
    name: str  # the list's key, as saved views name it
    filters: Mapping[str, Filter]
    sorts: Mapping[str, Sort]
    default_sort: str
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class ListQuery:
    """A parsed request for one page of a list: only values that parsed are kept."""

    spec: ListSpec
    values: Mapping[str, Any]
    sort: str
    page: int = 0
    cursor: tuple[str, tuple[datetime, int]] | None = None  # (AFTER or BEFORE, key)
    refused: tuple[str, ...] = ()  # the names of filters whose value was ignored
    per_page: int = PER_PAGE

    def conditions(self, now: datetime) -> list[Condition]:
        return [self.spec.filters[name].condition(value, now) for name, value in self.values.items()]

    def args(self) -> dict[str, str]:
        """The filters and sort as query parameters, for links that keep them (the pager, a saved view)."""
        found = {name: self.spec.filters[name].text(value) for name, value in self.values.items()}
        if self.sort != self.spec.default_sort:
            found[SORT] = self.sort
        return found

    def query_string(self) -> str:
        return urlencode(sorted(self.args().items()))

    @property
    def filtered(self) -> bool:
        return bool(self.values)


def parse_list(spec: ListSpec, args: Mapping[str, str | None], *, per_page: int | None = None) -> ListQuery:
    """Reads filters, sort and page from query parameters. A value that does not parse is left out and
    named in `refused`; unknown parameters are ignored. Never raises."""
    values: dict[str, Any] = {}
    refused: list[str] = []
    for name, flt in spec.filters.items():
        raw = (args.get(name) or "").strip()
        if not raw:
            continue
        try:
            if len(raw) > LONGEST_VALUE:
                raise Refused(raw)
            value = flt.parse(raw)
        except Refused:
            refused.append(name)
            continue
        if value not in ("", None):
            values[name] = value
    sort = args.get(SORT) or spec.default_sort
    if sort not in spec.sorts:
        refused.append(SORT)
        sort = spec.default_sort
    page = _page_number(args.get(PAGE))
    if page is None:
        refused.append(PAGE)
        page = 0
    cursor = None
    for direction in (AFTER, BEFORE):
        key = _cursor_key(args.get(direction))
        if key is not None and spec.sorts[sort].keyset is not None:
            cursor = (direction, key)
            break
    return ListQuery(
        spec=spec,
        values=values,
        sort=sort,
        page=page,
        cursor=cursor,
        refused=tuple(refused),
        per_page=per_page or spec.per_page,
    )


def parse_query_string(spec: ListSpec, query: str) -> ListQuery:
    """A stored query string (a saved view) parsed as if it came from a link: never trusted as stored."""
    return parse_list(spec, dict(parse_qsl(query[:4000], keep_blank_values=False)))


def _page_number(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or int(text) > LARGEST_PAGE:
        return None
    return int(text)


def _cursor_key(cursor: str | None) -> tuple[datetime, int] | None:
    """A cursor from a link; anything malformed reads as no cursor (the first page)."""
    if not cursor or len(cursor) > 60:
        return None
    moment, _, number = cursor.rpartition("_")
    try:
        key = datetime.fromisoformat(moment), int(number)
    except ValueError:
        return None
    return key if key[0].tzinfo is None and 0 < key[1] < 2**31 else None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and the query parameters of the pages around it (None: no such page)."""

    rows: list[T]
    next: dict[str, str] | None = None
    previous: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_page(session: Session, query: Select[Any], listing: ListQuery, *, now: datetime) -> Page[Any]:
    """The list's filters applied to `query` in SQL, ordered by the chosen sort, one page read."""
    query = query.where(*listing.conditions(now))
    sort = listing.spec.sorts[listing.sort]
    if sort.keyset is not None:
        return _keyset_page(session, query, listing, sort)
    return offset_page(session, query.order_by(*sort.columns), listing)


def offset_page(session: Session, query: Select[Any], listing: ListQuery) -> Page[Any]:
    """One page of an ordered query by offset: reads one row more than the page to know if another follows."""
    size = listing.per_page
    rows = list(session.scalars(query.offset(listing.page * size).limit(size + 1)).unique())
    following = {PAGE: str(listing.page + 1)} if len(rows) > size else None
    previous = {PAGE: str(listing.page - 1)} if listing.page else None
    return Page(rows[:size], following, previous)


def _keyset_page(session: Session, query: Select[Any], listing: ListQuery, sort: Sort) -> Page[Any]:
    assert sort.keyset is not None
    moment, ident = sort.keyset
    key, size = tuple_(moment, ident), listing.per_page
    forward = (moment.desc(), ident.desc()) if sort.descending else (moment, ident)
    backward = (moment, ident) if sort.descending else (moment.desc(), ident.desc())
    direction, cursor = listing.cursor or (AFTER, None)
    if cursor is not None and direction == BEFORE:  # the previous page: read backwards, show in order
        before = key > tuple_(*cursor) if sort.descending else key < tuple_(*cursor)
        rows = list(session.scalars(query.where(before).order_by(*backward).limit(size + 1)).unique())
        shown = list(reversed(rows[:size]))
        return Page(
            shown,
            {AFTER: _cursor(shown[-1], sort)} if shown else None,
            {BEFORE: _cursor(shown[0], sort)} if len(rows) > size else None,
        )
    if cursor is not None:
        query = query.where(key < tuple_(*cursor) if sort.descending else key > tuple_(*cursor))
    rows = list(session.scalars(query.order_by(*forward).limit(size + 1)).unique())
    shown = rows[:size]
    return Page(
        shown,
        {AFTER: _cursor(shown[-1], sort)} if len(rows) > size else None,
        {BEFORE: _cursor(shown[0], sort)} if cursor is not None and shown else None,
    )


def _cursor(row: Any, sort: Sort) -> str:
    assert sort.keyset is not None
    moment, ident = sort.keyset
    return f"{getattr(row, moment.key).isoformat()}_{getattr(row, ident.key)}"
