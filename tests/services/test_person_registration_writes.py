"""Registering a person writes the person, their household and membership in one flush, and version 1
keeps exactly what `record_version` would keep for the same record."""

import json
from datetime import date
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.factories import user
from webapp.domain.registry import Household, HouseholdMember, PersonVersion, Relationship, person_snapshot
from webapp.services.casework.people import PersonDetails, record_version, register_person


def details(id_number: str, **overrides) -> PersonDetails:
    values: dict[str, Any] = {
        "name_km": "ចាន់ សុភា",
        "name_latin": "Chan Sophea",
        "sex": "female",
        "date_of_birth": date(1980, 5, 2),
        "id_kind": "national_id",
        "id_number": id_number,
        "village_code": "17010101",
        "family_book_number": "FB-17-0042",
        "phone": "012 345 678",
    }
    return PersonDetails(**(values | overrides))


def versions(session, person_id: int) -> list[PersonVersion]:
    statement = select(PersonVersion).where(PersonVersion.person_id == person_id)
    return list(session.scalars(statement.order_by(PersonVersion.version)))


def test_registering_a_person_writes_in_one_flush(session):
    actor = user(session, "ca.charchhuk")
    register_person(session, details("170777000"), actor=actor)  # the province's first creates its counter
    flushes: list[int] = []

    def flushed(_session: Session, _context: object) -> None:
        flushes.append(len(_session.new))

    event.listen(session, "after_flush", flushed)
    try:
        person = register_person(session, details("170777001"), actor=actor)
    finally:
        event.remove(session, "after_flush", flushed)
    assert flushes == [3]  # the person, their household and their membership
    assert person.membership is not None and person.membership.household.head_id == person.id


def test_version_one_keeps_what_record_version_keeps_for_the_same_record(session):
    actor = user(session, "ca.charchhuk")
    person = register_person(session, details("170777002"), actor=actor, reason="Registered here")
    record_version(session, person, reason="Nothing changed", actor=actor)
    first, second = versions(session, person.id)
    assert (first.version, second.version, person.version) == (1, 2, 2)
    assert first.data_json == second.data_json
    assert first.data_json == json.dumps(person_snapshot(person), ensure_ascii=False, sort_keys=True)
    assert person.membership is not None and first.data["household_id"] == person.membership.household_id
    assert first.data["date_of_birth"] == "1980-05-02" and first.data["family_book_number"] == "FB170042"
    assert (first.reason, first.changed_by_id, first.change_request_id) == ("Registered here", actor.id, None)
    assert first.recorded_at is not None


def test_a_member_joins_an_existing_household_and_a_new_head_takes_it_over(session):
    actor = user(session, "ca.charchhuk")
    head = register_person(session, details("170777003"), actor=actor)
    assert head.membership is not None
    household = session.get(Household, head.membership.household_id)
    child = register_person(
        session,
        details("170777004", name_latin="Chan Dara"),
        actor=actor,
        household=household,
        relationship=Relationship.CHILD,
    )
    new_head = register_person(
        session, details("170777005", name_latin="Chan Vuthy"), actor=actor, household=household
    )
    session.expire_all()
    members = session.scalars(select(HouseholdMember).where(HouseholdMember.household_id == household.id))
    assert {(m.person_id, m.relationship_to_head) for m in members} == {
        (head.id, Relationship.HEAD),
        (child.id, Relationship.CHILD),
        (new_head.id, Relationship.HEAD),
    }
    assert household.head_id == new_head.id
    assert [v.data["household_id"] for v in versions(session, child.id)] == [household.id]
