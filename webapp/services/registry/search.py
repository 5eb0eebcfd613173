"""Finding people: by Sala identifier, ID or family book number (exactly), or by name in either script in any
look-alike spelling or romanisation (by the matching keys), cut to the reader's area and ranked: exact numbers
first, then by name similarity. PostgreSQL ranks with pg_trgm's trigram similarity on the keys (GIN indexes,
migration 0016); SQLite, for the demo, matches every word of the key with LIKE."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.domain.areas import within
from webapp.domain.khmer_names import has_khmer, id_number_key, is_id_number, khmer_key, latin_key
from webapp.domain.people import User
from webapp.domain.registry import Person
from webapp.domain.spid import parse_spid

PER_PAGE = 20
MAX_PAGE = 50
WORD_SIMILARITY = 0.5  # pg_trgm.word_similarity_threshold for a name search


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
    column = Person.name_km_key if khmer else Person.name_latin_key
    if session.get_bind().dialect.name == "postgresql":
        statement = _trigram(session, column, key)
    else:
        statement = _like(column, key)
    statement = statement.where(_live(user)).offset(offset).limit(limit)
    return list(session.scalars(statement))


def _trigram(session: Session, column: InstrumentedAttribute[str], key: str) -> Select[Person]:
    """Word similarity of the typed key within the stored key (`<%`, served by the GIN index), best first.
    (Comparing a district's rows one by one through the village code's btree measured slower at a million.)"""
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
