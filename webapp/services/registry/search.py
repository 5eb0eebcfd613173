"""Finding people: by Sala identifier, ID or family book number (exactly), or by name in either script in any
look-alike spelling or romanisation, cut to the reader's area and ranked: exact numbers first, then the whole
name equal to the typed one, then starting with it, then by similarity.

A name search looks the typed words up in the name tokens (`PersonNameToken`, migration 0023): each typed
word, folded as the matching keys fold it, must be a word of the person's names or the beginning of one
(Sokha, Sokhaa and Sok are all found by "Sok"; word order is free). In one statement, each typed word is
widened to the few distinct tokens it begins (one btree probe each), then every token is an equality lookup
inside the reader's area, and the people having every word are intersected in SQL: the database reads the
index entries of the area only, whatever its collation. Trigram similarity (PostgreSQL) only ranks those few
people. The statement is built once per shape of the typed words and area, its values bound at execution.
When no person has every word (a typing mistake, a word glued to another), the search falls back to the
similarity search of the whole key (pg_trgm's GIN indexes, migration 0016; SQLite, for the demo, matches
every word of the key with LIKE).
"""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    CTE,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    intersect,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.domain.areas import within
from webapp.domain.khmer_names import (
    has_khmer,
    id_number_key,
    is_id_number,
    khmer_key,
    khmer_words,
    latin_key,
)
from webapp.domain.people import User
from webapp.domain.registry import Person, PersonNameToken
from webapp.domain.spid import parse_spid

# The name tokens as a table (its rows are never loaded as objects).
_TOKENS = PersonNameToken.__table__
PER_PAGE = 20
MAX_PAGE = 50
WORD_SIMILARITY = 0.5  # pg_trgm.word_similarity_threshold for the fallback search
MAX_WORDS = 6  # typed words looked up; more add nothing to a name
MAX_WIDENED = 500  # distinct tokens a typed word is looked up by; beyond, the range of its tokens is read

# The distinct tokens each typed word begins, in order, one index probe per token found (a loose index scan:
# the btree is not read through the thousands of people sharing a word). Bound parameters only.
_WIDEN = """
WITH RECURSIVE typed(word, low, high) AS ({typed}),
walk(word, token, high, depth) AS (
    SELECT typed.word, (SELECT t.token FROM person_name_token t WHERE t.token >= typed.low
        AND t.token < typed.high ORDER BY t.token LIMIT 1), typed.high, 1 FROM typed
    UNION ALL
    SELECT walk.word, (SELECT t.token FROM person_name_token t WHERE t.token > walk.token
        AND t.token < walk.high ORDER BY t.token LIMIT 1), walk.high, walk.depth + 1
    FROM walk WHERE walk.token IS NOT NULL AND walk.depth < :widen_most
)
SELECT word, token, depth FROM walk WHERE token IS NOT NULL
"""


@dataclass(frozen=True)
class PeoplePage:
    people: list[Person]
    exact_ids: frozenset[int]  # found by identifier or number rather than by name
    page: int
    has_next: bool


def search_people(session: Session, *, user: User, query: str, page: int = 1) -> PeoplePage:
    """One page (20) of the live records (merged ones left out) of the user's area matching `query`."""
    page = max(1, min(page, MAX_PAGE))
    exact = _by_number(session, user, query) if page == 1 else []
    named = _by_name(session, user, query, offset=(page - 1) * PER_PAGE, limit=PER_PAGE + 1)
    has_next = len(named) > PER_PAGE
    seen = {person.id for person in exact}
    people = exact + [person for person in named[:PER_PAGE] if person.id not in seen]
    return PeoplePage(people=people, exact_ids=frozenset(seen), page=page, has_next=has_next)


def _live(user: User) -> ColumnElement[bool]:
    return and_(Person.merged_into_id.is_(None), within(Person.village_code, user.scope_code))


def _by_number(session: Session, user: User, query: str) -> list[Person]:
    spid = parse_spid(query)
    number = id_number_key(query)
    conditions: list[ColumnElement[bool]] = []
    if spid is not None:
        conditions.append(Person.spid == spid)
    if is_id_number(number) and any(char.isdigit() for char in number):
        conditions += [Person.id_number == number, Person.family_book_number == number]
    if not conditions:
        return []
    return list(
        session.scalars(select(Person).where(or_(*conditions), _live(user)).order_by(Person.id).limit(20))
    )


def _by_name(session: Session, user: User, query: str, *, offset: int, limit: int) -> list[Person]:
    khmer = has_khmer(query)
    key = khmer_key(query) if khmer else latin_key(query)
    if not any(char.isalpha() for char in key):  # digits alone are numbers, not names
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    words = (khmer_words(query) if khmer else key.split(" "))[:MAX_WORDS]
    shape = tuple(len(word) > 1 for word in words)
    ranked, any_match = _by_words(shape, khmer, postgres, user.scope_code)
    values = _values(words, key) | {"offset": offset, "limit": limit}
    found = list(session.scalars(ranked, values))
    if found or (offset and session.scalar(any_match, values)):
        return found
    column = Person.name_km_key if khmer else Person.name_latin_key
    statement = _trigram(session, column, key) if postgres else _like(column, key)
    return list(session.scalars(statement.where(_live(user)).offset(offset).limit(limit)))


@lru_cache(maxsize=512)
def _by_words(
    shape: tuple[bool, ...], khmer: bool, postgres: bool, scope_code: str
) -> tuple[Select[Person], Select[bool]]:
    """The ranked page and the "any match at all" question for typed words of this shape (True: two letters
    or more) in this area, every typed value a named parameter (`_values`): built once, then reused, so that a
    search does not pay for building a statement of this size."""
    column = Person.name_km_key if khmer else Person.name_latin_key
    widened = _widened(shape)
    sets = [_with_word(widened, number, long, scope_code) for number, long in enumerate(shape)]
    matched = Person.id.in_(sets[0] if len(sets) == 1 else intersect(*sets))
    live = and_(Person.merged_into_id.is_(None), within(Person.village_code, scope_code))
    ranked = _ranked(select(Person).where(matched, live), column, postgres)
    page = ranked.offset(bindparam("offset", type_=Integer)).limit(bindparam("limit", type_=Integer))
    return page, select(exists().where(matched, live))


def _values(words: list[str], key: str) -> dict[str, object]:
    """The named parameters of `_by_words`' statements."""
    values: dict[str, object] = {"widen_most": MAX_WIDENED, "typed_key": key, "typed_start": _like_start(key)}
    for number, word in enumerate(words):
        values |= {f"word_low{number}": word, f"word_high{number}": _after(word)}
    return values


def _with_word(widened: CTE | None, number: int, long: bool, scope_code: str) -> Select[int]:
    """The people of the area with a token starting with typed word `number`: equality lookups of the widened
    tokens; the range of the word's tokens instead for a single letter or a word that starts too many."""
    token = _TOKENS.c.token
    area = within(_TOKENS.c.village_code, scope_code)
    low, high = bindparam(f"word_low{number}", type_=String), bindparam(f"word_high{number}", type_=String)
    ranged = select(_TOKENS.c.person_id).where(token >= low, token < high, area)
    if widened is None or not long:
        return ranged
    tokens = select(widened.c.token).where(widened.c.word == number)
    listed = select(_TOKENS.c.person_id).where(token.in_(tokens), area)
    too_many = exists().where(widened.c.word == number, widened.c.depth >= bindparam("widen_most"))
    either = union_all(listed, ranged.where(too_many)).subquery()  # the range runs only when too many
    return select(either.c.person_id)


def _widened(shape: tuple[bool, ...]) -> CTE | None:
    """(word number, token, depth) of each distinct token starting with a typed word of 2 letters or more."""
    numbers = [number for number, long in enumerate(shape) if long]
    if not numbers:
        return None
    typed = " UNION ALL ".join(
        f"SELECT {number}, CAST(:word_low{number} AS VARCHAR), CAST(:word_high{number} AS VARCHAR)"
        for number in numbers
    )
    return (
        text(_WIDEN.format(typed=typed))
        .columns(column("word", Integer), column("token", _TOKENS.c.token.type), column("depth", Integer))
        .cte("widened")
    )


def _after(word: str) -> str:
    """The smallest string after every string that starts with `word`, in code point order."""
    return word[:-1] + chr(min(ord(word[-1]) + 1, 0x10FFFF))


def _like_start(key: str) -> str:
    """A LIKE pattern of the strings starting with `key` (its own wildcards escaped with /)."""
    return key.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _ranked(statement: Select[Person], column: InstrumentedAttribute[str], postgres: bool) -> Select[Person]:
    """The whole name equal to the typed key first, then starting with it, then (PostgreSQL) the most similar,
    the shortest, the oldest record."""
    typed = bindparam("typed_key", type_=String)
    starts = column.like(bindparam("typed_start", type_=String), escape="/")
    order: list[ColumnElement[object]] = [case((column == typed, 0), (starts, 1), else_=2)]
    if postgres:
        order += [func.word_similarity(typed, column).desc(), func.similarity(typed, column).desc()]
    return statement.order_by(*order, func.length(column), Person.id)


def _trigram(session: Session, column: InstrumentedAttribute[str], key: str) -> Select[Person]:
    """Word similarity of the typed key within the stored key (`<%`, served by the GIN index), best first."""
    if len(key) < 3:  # too short for trigrams: a prefix of a word
        return _like(column, key)
    session.execute(select(func.set_config("pg_trgm.word_similarity_threshold", str(WORD_SIMILARITY), True)))
    typed = literal(key)
    similar = typed.op("<%", is_comparison=True)(column)
    return (
        select(Person)
        .where(similar)
        .order_by(
            func.word_similarity(typed, column).desc(),
            func.similarity(typed, column).desc(),
            Person.id,
        )
    )


def _like(column: InstrumentedAttribute[str], key: str) -> Select[Person]:
    """Every word of the key inside the stored key; the whole key equal first, then starting with it."""
    words = key.split(" ")
    return (
        select(Person)
        .where(*(column.contains(word, autoescape=True) for word in words))
        .order_by(
            case((column == key, 0), (column.startswith(key, autoescape=True), 1), else_=2),
            func.length(column),
            Person.id,
        )
    )
