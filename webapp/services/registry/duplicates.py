"""Duplicates: the same person registered twice. Found at entry by the core's `casework.person_matches`
(before a form saves) and in a district's review (paged by `registry.lists.duplicate_page`), where an officer
merges two records (`merge_people`: every case, grievance, household place and change request follows the
survivor, with an audit trail) or says they are two different people (`mark_distinct`)."""

import json
from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from webapp.domain.base import Base
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.registry import Household, HouseholdMember, Person, PersonDistinct, PersonMerge
from webapp.services.casework.kept_totals import merge_enrolments, unmerge_enrolments
from webapp.services.casework.people import PersonDetails, index_names, record_version
from webapp.services.casework.person_matches import SAME_ID, reasons_alike
from webapp.services.registry.access import check_decides, get_person


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    reasons: tuple[str, ...]


def duplicate_pair(one: Person, other: Person) -> DuplicatePair:
    """The two records and what makes them look alike (the ID number, when nothing else is said)."""
    reasons = reasons_alike(other, PersonDetails.of(one))
    return DuplicatePair(first=one, second=other, reasons=reasons or (SAME_ID,))


def mark_distinct(session: Session, *, first_id: int, second_id: int, actor: User) -> PersonDistinct:
    """The officer says two records are two people: the review stops pairing them."""
    one, other = sorted((first_id, second_id))
    for person_id in (one, other):
        check_decides(actor, get_person(session, person_id=person_id, user=actor))
    found = session.scalar(
        select(PersonDistinct).where(PersonDistinct.first_id == one, PersonDistinct.second_id == other)
    )
    if found is not None:
        return found
    distinct = PersonDistinct(first_id=one, second_id=other, decided_by_id=actor.id)
    session.add(distinct)
    session.flush()
    return distinct


# References a merge handles itself; every other foreign key to person.id follows the survivor.
_KEPT = {
    ("person", "merged_into_id"),
    ("person_version", "person_id"),  # each record's history stays its own
    ("person_merge", "survivor_id"),
    ("person_merge", "merged_id"),
    ("person_distinct", "first_id"),
    ("person_distinct", "second_id"),
    ("household_member", "person_id"),
    ("household", "head_id"),
    ("person_name_token", "person_id"),  # the merged record's search words are dropped, not moved
}


def _references() -> list[tuple[Table, str]]:
    """Every (table, column) holding a person id: cases, grievances, change requests, and what other
    families add (programme use, NSSF members...) without this module naming them."""
    found = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "person" and key.column.name == "id":
                column = key.parent.name
                if (table.name, column) not in _KEPT and isinstance(table, Table):
                    found.append((table, column))
    return found


def merge_people(
    session: Session, *, survivor_id: int, merged_id: int, reason: str, actor: User
) -> PersonMerge:
    """`merged_id` is a duplicate of `survivor_id`: every reference moves to the survivor, the merged record
    stays (pointing at the survivor, its history kept) and the merge is recorded with what moved."""
    if survivor_id == merged_id:
        raise InvalidInput({"merged": [N_("Choose two different records.")]})
    reason = reason.strip()
    if not reason:
        raise InvalidInput({"reason": [N_("Say why these records are one person.")]})
    survivor = get_person(session, person_id=survivor_id, user=actor)
    merged = get_person(session, person_id=merged_id, user=actor)
    check_decides(actor, survivor)
    check_decides(actor, merged)
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise InvalidInput({"merged": [N_("One of these records was already merged.")]})
    moved: dict[str, list[int]] = {}
    unmerge_enrolments(session, [survivor.id, merged.id])  # the cases move: enrolments counted again after
    for table, column in _references():
        key = next(iter(table.primary_key.columns))
        ids = list(session.scalars(select(key).where(table.c[column] == merged.id)))
        if ids:
            session.execute(update(table).where(table.c[column] == merged.id).values({column: survivor.id}))
            moved[f"{table.name}.{column}"] = [int(value) for value in ids]
    moved |= _merge_household(session, survivor, merged)
    merge_enrolments(session, [survivor.id])
    merged.merged_into_id = survivor.id
    merge = PersonMerge(
        survivor_id=survivor.id,
        merged_id=merged.id,
        reason=reason,
        moved_json=json.dumps(moved, sort_keys=True),
        merged_by_id=actor.id,
    )
    session.add(merge)
    session.flush()
    index_names(session, [merged])  # a merged record is no longer found by name
    session.expire_all()
    survivor = get_person(session, person_id=survivor_id, user=actor)
    record_version(session, survivor, reason=reason, actor=actor)
    return merge


def _merge_household(session: Session, survivor: Person, merged: Person) -> dict[str, list[int]]:
    """The survivor keeps their household place; the merged record's place goes to the survivor when they
    had none, and households the merged record headed are headed by the survivor when they live there."""
    moved: dict[str, list[int]] = {}
    place = session.scalar(select(HouseholdMember).where(HouseholdMember.person_id == merged.id))
    own = session.scalar(select(HouseholdMember).where(HouseholdMember.person_id == survivor.id))
    if place is not None:
        if own is None:
            place.person_id = survivor.id
            moved["household_member.person_id"] = [place.id]
        else:
            session.delete(place)
            moved["household_member.removed"] = [place.household_id]
    session.flush()
    headed = list(session.scalars(select(Household).where(Household.head_id == merged.id)))
    for household in headed:
        lives_there = (own is not None and own.household_id == household.id) or (
            own is None and place is not None and place.household_id == household.id
        )
        household.head_id = survivor.id if lives_there else None
    if headed:
        moved["household.head_id"] = [household.id for household in headed]
    session.flush()
    return moved
