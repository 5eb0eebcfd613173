"""Who in the registry may already be this person: the one duplicate check every registration runs (a
household's member at the commune, an import, an employee declared one by one or in a list of thousands).

Names are compared by their keys (Khmer and Latin spellings normalised as at registration), together with the
date of birth and the village, the ID number and the family book number."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.khmer_names import id_number_key, khmer_key, latin_key
from webapp.domain.messages import N_
from webapp.domain.registry import Person
from webapp.services.casework.people import PersonDetails

# Why two records may be one person, strongest first (message ids shown to the officer).
SAME_ID = N_("Same ID number")
SAME_FAMILY_BOOK = N_("Same family book number and a similar name")
SAME_NAME_AND_BIRTH = N_("Same name and date of birth")
SAME_NAME_AND_VILLAGE = N_("Same name in the same village")
SIMILAR_NAME = N_("Similar name, same date of birth and village")
REASON_WEIGHT = {
    SAME_ID: 100,
    SAME_FAMILY_BOOK: 60,
    SAME_NAME_AND_BIRTH: 80,
    SAME_NAME_AND_VILLAGE: 50,
    SIMILAR_NAME: 40,
}
SIMILAR = 0.75  # SequenceMatcher ratio of two name keys
# Candidates per round of statements: 2,000 pairs are 4,000 parameters, under SQLite's 32,766 and
# PostgreSQL's 65,535, and a list of thousands takes a few rounds of seven statements.
CHUNK = 2000


@dataclass(frozen=True)
class Match:
    """A registered person who may be the candidate, and why."""

    person: Person
    reasons: tuple[str, ...]

    @property
    def score(self) -> int:
        return sum(REASON_WEIGHT[reason] for reason in self.reasons)


def similar(first: str, second: str) -> bool:
    return bool(first and second) and SequenceMatcher(None, first, second).ratio() >= SIMILAR


@dataclass(frozen=True)
class _Keys:
    """A candidate's keys, computed once."""

    number: str
    book: str
    km: str
    latin: str

    @classmethod
    def of(cls, candidate: PersonDetails) -> "_Keys":
        return cls(
            number=id_number_key(candidate.id_number),
            book=id_number_key(candidate.family_book_number or ""),
            km=_khmer_key(candidate.name_km),
            latin=_latin_key(candidate.name_latin),
        )


# A list of thousands repeats its names: each spelling is normalised once.
_khmer_key = lru_cache(maxsize=20_000)(khmer_key)
_latin_key = lru_cache(maxsize=20_000)(latin_key)


def name_keys(name_km: str, name_latin: str) -> tuple[str, str]:
    """The Khmer and Latin matching keys of cleaned spellings, as `Person.set_names` makes them; a list
    registered in bulk reuses the keys its duplicate check worked out."""
    return _khmer_key(name_km), _latin_key(name_latin)


def possible_duplicates(
    session: Session,
    candidate: PersonDetails,
    *,
    exclude_id: int | None = None,
    scope_code: str = "",
    limit: int = 10,
) -> list[Match]:
    """Registered people (not merged away) who may be `candidate`: the same ID number (of either kind), the
    same name key (Khmer or Latin) with the same date of birth or village, the same family book number with a
    similar name, or a similar name with the same date of birth and village; inside `scope_code` (the
    officer's district, say). Strongest first."""
    keys = _Keys.of(candidate)
    same_place = or_(
        Person.date_of_birth == candidate.date_of_birth, Person.village_code == candidate.village_code
    )
    conditions = [
        and_(Person.date_of_birth == candidate.date_of_birth, Person.village_code == candidate.village_code)
    ]
    if keys.number:
        conditions.append(Person.id_number == keys.number)
    if keys.book:
        conditions.append(Person.family_book_number == keys.book)
    if keys.km:
        conditions.append(and_(Person.name_km_key == keys.km, same_place))
    if keys.latin:
        conditions.append(and_(Person.name_latin_key == keys.latin, same_place))
    query = (
        select(Person)
        .where(Person.merged_into_id.is_(None), or_(*conditions), within(Person.village_code, scope_code))
        .limit(200)
    )
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return _ranked(session.scalars(query), candidate, keys, limit)


def possible_duplicates_among(
    session: Session, candidates: Sequence[PersonDetails], *, limit: int = 3
) -> list[list[Match]]:
    """`possible_duplicates` of each candidate of a long list, in a few statements a chunk of candidates at a
    time (the same conditions, as pairs: a name key with a date of birth or a village, a village with a date
    of birth), then each candidate's matches among the people read, by the same reasons."""
    found: list[list[Match]] = []
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        keys = [_Keys.of(candidate) for candidate in chunk]
        index: dict[tuple[str, Any], dict[int, Person]] = {}
        for person in _people_sharing(session, _lookups(chunk, keys)):
            for entry in _lookups_of(person):
                index.setdefault(entry, {})[person.id] = person
        for candidate, key in zip(chunk, keys, strict=True):
            near = {
                pid: p for entry in _lookups([candidate], [key]) for pid, p in index.get(entry, {}).items()
            }
            found.append(_ranked(near.values(), candidate, key, limit))
    return found


# What a candidate is looked up by, and the columns of each lookup (as in possible_duplicates' conditions).
_LOOKUPS: dict[str, tuple[Any, ...]] = {
    "number": (Person.id_number,),
    "book": (Person.family_book_number,),
    "village_born": (Person.village_code, Person.date_of_birth),
    "km_born": (Person.name_km_key, Person.date_of_birth),
    "latin_born": (Person.name_latin_key, Person.date_of_birth),
    "km_village": (Person.name_km_key, Person.village_code),
    "latin_village": (Person.name_latin_key, Person.village_code),
}


def _lookups(candidates: Sequence[PersonDetails], keys: Sequence[_Keys]) -> list[tuple[str, Any]]:
    found = []
    for candidate, key in zip(candidates, keys, strict=True):
        values = _values(
            key.number, key.book, key.km, key.latin, candidate.village_code, candidate.date_of_birth
        )
        found += [entry for entry in values.items() if all(entry[1])]
    return found


def _lookups_of(person: Person) -> list[tuple[str, Any]]:
    values = _values(
        person.id_number,
        person.family_book_number or "",
        person.name_km_key,
        person.name_latin_key,
        person.village_code,
        person.date_of_birth,
    )
    return [entry for entry in values.items() if all(entry[1])]


def _values(
    number: str, book: str, km: str, latin: str, village: str, born: Any
) -> dict[str, tuple[Any, ...]]:
    return {
        "number": (number,),
        "book": (book,),
        "village_born": (village, born),
        "km_born": (km, born),
        "latin_born": (latin, born),
        "km_village": (km, village),
        "latin_village": (latin, village),
    }


def _people_sharing(session: Session, lookups: Sequence[tuple[str, Any]]) -> list[Person]:
    """Live records that share a lookup with any candidate: one statement per kind of lookup."""
    found: dict[int, Person] = {}
    for kind, columns in _LOOKUPS.items():
        wanted = sorted({values for name, values in lookups if name == kind})
        if not wanted:
            continue
        condition = (
            columns[0].in_([v[0] for v in wanted]) if len(columns) == 1 else tuple_(*columns).in_(wanted)
        )
        query = select(Person).where(Person.merged_into_id.is_(None), condition)
        found.update((person.id, person) for person in session.scalars(query))
    return list(found.values())


def _ranked(people: Iterable[Person], candidate: PersonDetails, keys: _Keys, limit: int) -> list[Match]:
    matches = []
    for person in people:
        reasons = _reasons(person, candidate, keys)
        if reasons:
            matches.append(Match(person=person, reasons=reasons))
    matches.sort(key=lambda match: (-match.score, match.person.id))
    return matches[:limit]


def reasons_alike(person: Person, candidate: PersonDetails) -> tuple[str, ...]:
    """Why the registered `person` may be `candidate`; empty when nothing makes them look alike."""
    return _reasons(person, candidate, _Keys.of(candidate))


def _reasons(person: Person, candidate: PersonDetails, keys: _Keys) -> tuple[str, ...]:
    same_name = (keys.km and person.name_km_key == keys.km) or (
        keys.latin and person.name_latin_key == keys.latin
    )
    similar_name = similar(person.name_km_key, keys.km) or similar(person.name_latin_key, keys.latin)
    same_birth = person.date_of_birth == candidate.date_of_birth
    same_village = person.village_code == candidate.village_code
    reasons = []
    if keys.number and person.id_number == keys.number:
        reasons.append(SAME_ID)
    if same_name and same_birth:
        reasons.append(SAME_NAME_AND_BIRTH)
    elif same_name and same_village:
        reasons.append(SAME_NAME_AND_VILLAGE)
    elif similar_name and same_birth and same_village:
        reasons.append(SIMILAR_NAME)
    if keys.book and person.family_book_number == keys.book and (same_name or similar_name):
        reasons.append(SAME_FAMILY_BOOK)
    return tuple(reasons)
