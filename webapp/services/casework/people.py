"""The registry's core, which every family uses to name the person a case is about: register a person once (a
Sala identifier, the matching keys, a household, version 1 of the record), find a registered person by an
identity number, and propose a change to a registered person instead of overwriting it.

The district's side of the registry (approving changes, merging duplicates, searching, households) is the
registry family (`services/registry`); this module is below every family so that applications, grievances and
NSSF registration can all register and find people without importing it.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter
from webapp.domain.khmer_names import clean_name, id_number_key, name_tokens
from webapp.domain.people import User
from webapp.domain.registry import (
    LETTER_LANGUAGES,
    Household,
    HouseholdMember,
    Person,
    PersonChangeRequest,
    PersonNameToken,
    PersonVersion,
    Relationship,
    person_snapshot,
    propose_change,
)
from webapp.domain.spid import make_spid
from webapp.services.casework.references import increment_counter
from webapp.services.platform.bulk import insert_rows

SPID_SCOPE = "spid:{province}"


@dataclass(frozen=True)
class PersonDetails:
    """What a form or an import says about a person, as typed (names and numbers are cleaned on the way)."""

    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date
    id_kind: str
    id_number: str
    village_code: str
    equity_card: str = "none"
    disability: bool = False
    phone: str | None = None
    letter_language: str = "km"
    occupation: str | None = None
    family_book_number: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # not stored: for callers that carry more

    @classmethod
    def of(cls, person: Person) -> "PersonDetails":
        """A registered person's details as a form would give them (to match them against others)."""
        return cls(
            name_km=person.name_km,
            name_latin=person.name_latin,
            sex=person.sex,
            date_of_birth=person.date_of_birth,
            id_kind=person.id_kind,
            id_number=person.id_number,
            village_code=person.village_code,
            family_book_number=person.family_book_number,
        )

    def fields(self) -> dict[str, Any]:
        """The changeable fields in stored form (see domain.registry.CHANGEABLE_FIELDS)."""
        return {
            "name_km": clean_name(self.name_km),
            "name_latin": clean_name(self.name_latin),
            "sex": self.sex,
            "date_of_birth": self.date_of_birth,
            "id_kind": self.id_kind,
            "id_number": id_number_key(self.id_number),
            "family_book_number": id_number_key(self.family_book_number or "") or None,
            "village_code": self.village_code,
            "occupation": clean_name(self.occupation or "") or None,
            "equity_card": self.equity_card,
            "disability": self.disability,
            "phone": clean_name(self.phone or "") or None,
            "letter_language": self.letter_language if self.letter_language in LETTER_LANGUAGES else "km",
        }


def allocate_spid(session: Session, province_code: str) -> str:
    """The next Sala identifier of a province; the counter row's update serialises registrations."""
    scope = SPID_SCOPE.format(province=province_code)
    number = increment_counter(session, scope)
    if number is None:
        session.add(ReferenceCounter(scope=scope, last=1))
        session.flush()
        number = 1
    return make_spid(province_code, number)


def register_person(
    session: Session,
    details: PersonDetails,
    *,
    actor: User | None,
    household: Household | None = None,
    relationship: str = Relationship.HEAD,
    reason: str = "Registered",
) -> Person:
    """A new person with a SPID and name keys, a member of `household` (a new household they head when None),
    and version 1 of their record. The caller has checked for duplicates (registry.possible_duplicates).

    The person, their household and membership are written in one flush (the relationships order the
    INSERTs); version 1, which keeps the household's id, and the name tokens follow as plain INSERTs."""
    values = details.fields()
    person = Person(
        spid=allocate_spid(session, details.village_code[:2]),
        version=1,
        **{name: value for name, value in values.items() if name not in ("name_km", "name_latin")},
    )
    person.set_names(name_km=values["name_km"], name_latin=values["name_latin"])
    member = HouseholdMember(person=person, relationship_to_head=relationship)  # person.membership too
    if household is None:
        household = Household(
            village_code=person.village_code, family_book_number=person.family_book_number, head=person
        )
        member.household, member.relationship_to_head = household, Relationship.HEAD
    else:
        member.household = household  # a members list already loaded shows the newcomer too
        if relationship == Relationship.HEAD:
            household.head = person
    session.add_all([person, member, household])
    session.flush()
    _insert_first_version(session, person, reason=reason, actor=actor)
    index_names(session, [person], new=True)
    return person


def _insert_first_version(session: Session, person: Person, *, reason: str, actor: User | None) -> None:
    """Version 1 of a person just flushed (with their membership), without an ORM flush of its own."""
    row = _version_values(person, 1, reason=reason, actor=actor, change_request=None)
    session.execute(insert(cast(Table, PersonVersion.__table__)), row)  # Core: a row nobody reads back


def _version_values(
    person: Person,
    number: int,
    *,
    reason: str,
    actor: User | None,
    change_request: PersonChangeRequest | None,
) -> dict[str, Any]:
    """A person version's row: the person's current state as version `number`."""
    return {
        "person_id": person.id,
        "version": number,
        "data_json": json.dumps(person_snapshot(person), ensure_ascii=False, sort_keys=True),
        "reason": reason,
        "change_request_id": change_request.id if change_request is not None else None,
        "changed_by_id": actor.id if actor is not None else None,
    }


def index_names(session: Session, people: Sequence[Person], *, new: bool = False) -> None:
    """The search's name tokens of `people` (flushed, with ids) made to match their names, village and
    merge: every writer of a person's names, village or merge calls it. A delete per thousand people, one
    insert; `new` people have no tokens yet to delete."""
    ids = [] if new else [person.id for person in people]
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        session.execute(delete(PersonNameToken).where(PersonNameToken.person_id.in_(chunk)))
    insert_rows(session, PersonNameToken, [row for person in people for row in _token_rows(person)])


def _token_rows(person: Person) -> list[dict[str, Any]]:
    """`token_rows`, with each name's words worked out once for a list that repeats its names."""
    if person.merged_into_id is not None:
        return []
    place = person.village_code
    return [
        {"token": token, "village_code": place, "person_id": person.id}
        for token in _name_tokens(person.name_km, person.name_latin)
    ]


_name_tokens = lru_cache(maxsize=20_000)(name_tokens)


def record_version(
    session: Session,
    person: Person,
    *,
    reason: str,
    actor: User | None,
    change_request: PersonChangeRequest | None = None,
) -> PersonVersion:
    """The person's current state as their next version (registration writes version 1 itself)."""
    number = (_last_version(session, person) or 0) + 1
    person.version = number
    values = _version_values(person, number, reason=reason, actor=actor, change_request=change_request)
    version = PersonVersion(**values)
    session.add(version)
    session.flush()
    return version


def _last_version(session: Session, person: Person) -> int | None:
    return session.scalar(
        select(PersonVersion.version)
        .where(PersonVersion.person_id == person.id)
        .order_by(PersonVersion.version.desc())
        .limit(1)
    )


def find_by_identity(session: Session, *, id_kind: str, id_number: str) -> Person | None:
    """The person registered with this ID (typed in any form); a merged-away record gives its survivor."""
    number = id_number_key(id_number)
    if not number:
        return None
    person = session.scalar(_BY_IDENTITY, {"kind": id_kind, "number": number})
    return survivor_of(session, person) if person is not None else None


# Built once: every application and registration looks its applicant up first.
_BY_IDENTITY = select(Person).where(
    Person.id_kind == bindparam("kind"), Person.id_number == bindparam("number")
)


def survivor_of(session: Session, person: Person) -> Person:
    """The record that stands for `person`: itself, or the record it was merged into (followed to the end)."""
    seen = {person.id}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        survivor = session.get(Person, person.merged_into_id)
        if survivor is None:
            break
        seen.add(survivor.id)
        person = survivor
    return person


def file_change_request(
    session: Session,
    person: Person,
    details: PersonDetails,
    *,
    reason: str,
    actor: User | None,
    source: str | None = None,
) -> PersonChangeRequest | None:
    """A pending change request for what `details` says differently from the registered `person` (names
    compared by their keys), or None when nothing differs. The person is left as registered."""
    request = propose_change(
        person,
        details.fields(),
        reason=reason,
        requested_by_id=actor.id if actor is not None else None,
        source=source,
    )
    if request is not None:
        session.add(request)
        session.flush()
    return request
