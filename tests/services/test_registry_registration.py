"""SSDM registration of a household: referral, registration, the district's decision, the membership card."""

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import TODAY, drain_jobs, open_task, user, work
from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.history import CaseEvent
from webapp.domain.khmer_names import to_khmer_digits
from webapp.domain.letters import Letter
from webapp.domain.registry import Household, Relationship
from webapp.domain.spid import format_spid
from webapp.domain.tasks import Task
from webapp.services.casework.listing import parse_list
from webapp.services.casework.people import PersonDetails, register_person
from webapp.services.registry.lists import REFERRAL_LIST, referral_page
from webapp.services.registry.registration import (
    DuplicatesFound,
    MemberEntry,
    Referral,
    refer_household,
    register_household,
    registration_of,
)

CONFIRM = {"registration_decision": "confirm", "registration_reason": "Checked against the family book."}
SEND_BACK = {"registration_decision": "send_back", "registration_reason": "The wife's birth date is missing."}
REJECT = {"registration_decision": "reject", "registration_reason": "The household lives in another commune."}


def member(relationship: str = Relationship.HEAD, **overrides: Any) -> MemberEntry:
    fields: dict[str, Any] = {
        "name_km": "សុខ ចាន់",
        "name_latin": "Sok Chan",
        "sex": "male",
        "date_of_birth": date(1980, 5, 1),
        "id_kind": "national_id",
        "id_number": "170100001",
        "village_code": "17010101",
        "equity_card": "poor_1",
    }
    fields.update(overrides)
    return MemberEntry(PersonDetails(**fields), relationship)


def family() -> list[MemberEntry]:
    return [
        member(),
        member(
            Relationship.SPOUSE,
            name_km="កែវ ស្រីមុំ",
            name_latin="Keo Sreymom",
            sex="female",
            date_of_birth=date(1984, 2, 3),
            id_number="170100002",
        ),
    ]


def waiting_referrals(session, username: str) -> list[Task]:
    """The referrals the commune's page lists for this user."""
    listing = parse_list(REFERRAL_LIST, {})
    return list(referral_page(session, user=user(session, username), listing=listing, now=utcnow()).rows)


def register(session, engine, members=None, **kwargs):
    return register_household(
        session,
        engine=engine,
        actor=user(session, "ca.charchhuk"),
        members=members or family(),
        today=TODAY,
        **kwargs,
    )


def test_a_registered_household_waits_for_the_district_with_every_member(session, process_engine):
    case = register(session, process_engine)

    task = open_task(session, case)
    household = session.scalar(select(Household).where(Household.head_id == case.person_id))
    assert (task.spec_name, task.role) == ("confirm_registration", "district_ssdm_assistant")
    assert [m.person.name_latin for m in household.members] == ["Sok Chan", "Keo Sreymom"]
    assert all(m.person.spid for m in household.members)


def test_the_district_confirms_and_the_head_receives_the_membership_card(session, process_engine):
    case = register(session, process_engine)

    work(session, process_engine, case, "ssdm.ac", **CONFIRM)
    drain_jobs(session)

    assert (case.status, case.outcome) == (CLOSED, "registered")
    letters = session.scalars(select(Letter).where(Letter.case_id == case.id)).all()
    assert [letter.key for letter in letters] == ["membership_card"]
    assert json.loads(letters[0].fields_json)["spid"] == format_spid(case.person.spid)
    assert to_khmer_digits(case.person.spid[-4:]) in letters[0].html


def test_a_registration_sent_back_is_corrected_then_rejected_with_the_reason(session, process_engine):
    case = register(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **SEND_BACK)
    assert open_task(session, case).spec_name == "correct_registration"
    work(session, process_engine, case, "ca.charchhuk", correction_note="Birth date added.")

    work(session, process_engine, case, "ssdm.ac", **REJECT)
    drain_jobs(session)

    assert (case.outcome, case.outcome_reason) == ("rejected", REJECT["registration_reason"])
    assert session.scalars(select(Letter).where(Letter.case_id == case.id)).all() == []


def test_a_vdc_referral_lands_at_the_commune_which_registers_it_on_the_same_case(session, process_engine):
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "The father cannot work since the accident.")
    case = refer_household(
        session, engine=process_engine, actor=user(session, "vdc.charchhuk"), referral=referral, today=TODAY
    )
    [waiting] = waiting_referrals(session, "ca.charchhuk")
    assert waiting.case_id == case.id
    assert waiting_referrals(session, "ca.dounpeng") == []

    registered = register(session, process_engine, referral_task_id=waiting.id)

    assert registered.id == case.id
    assert open_task(session, case).spec_name == "confirm_registration"
    household = session.scalar(select(Household).where(Household.head_id == case.person_id))
    assert registration_of(session, household).id == case.id


def test_a_vdc_member_refers_only_in_their_own_village(session, process_engine):
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010201", "Needs support.")
    with pytest.raises(InvalidInput) as refused:
        refer_household(
            session,
            engine=process_engine,
            actor=user(session, "vdc.charchhuk"),
            referral=referral,
            today=TODAY,
        )
    assert "village" in refused.value.errors


def test_only_a_commune_assistant_registers(session, process_engine):
    with pytest.raises(PermissionDenied):
        register_household(
            session, engine=process_engine, actor=user(session, "ssdm.ac"), members=family(), today=TODAY
        )


def test_a_village_of_another_commune_is_refused(session, process_engine):
    with pytest.raises(InvalidInput) as refused:
        register(session, process_engine, members=[member(village_code="17010201")])
    assert "members-0-village" in refused.value.errors


def test_an_id_already_registered_is_never_registered_twice(session, process_engine):
    register(session, process_engine)
    with pytest.raises(InvalidInput) as refused:
        register(session, process_engine, members=[member(name_latin="Sok Chann", id_number="1701 00001")])
    assert "members-0-id_number" in refused.value.errors


def test_a_household_needs_exactly_one_head(session, process_engine):
    with pytest.raises(InvalidInput) as refused:
        register(session, process_engine, members=[member(Relationship.CHILD)])
    assert "members" in refused.value.errors


def test_a_registration_completed_from_the_task_page_is_linked_by_the_heads_spid(session, process_engine):
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "Needs support.")
    first = register(session, process_engine)
    work(session, process_engine, first, "ssdm.ac", **CONFIRM)
    case = refer_household(
        session, engine=process_engine, actor=user(session, "vdc.charchhuk"), referral=referral, today=TODAY
    )

    with pytest.raises(InvalidInput):
        work(session, process_engine, case, "ca.charchhuk", head_spid="1700 0000 0000", registration_note="")
    session.rollback()


def test_a_referral_of_a_household_already_in_the_registry_is_linked_by_its_heads_spid(
    session, process_engine
):
    head = register_person(session, member().details, actor=user(session, "ca.charchhuk"))
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "Needs support.")
    case = refer_household(
        session, engine=process_engine, actor=user(session, "vdc.charchhuk"), referral=referral, today=TODAY
    )

    work(
        session, process_engine, case, "ca.charchhuk", head_spid=format_spid(head.spid), registration_note=""
    )

    assert case.person_id == head.id
    assert open_task(session, case).spec_name == "confirm_registration"


def test_look_alikes_stop_the_registration_until_the_officer_has_checked_them(session, process_engine):
    register_person(session, member(id_number="170100555").details, actor=user(session, "ca.charchhuk"))
    look_alike = [member(name_km="សុខ  ចាន់", name_latin="Sok Chann")]

    with pytest.raises(DuplicatesFound) as found:
        register(session, process_engine, members=look_alike)
    assert list(found.value.matches) == [0]

    case = register(session, process_engine, members=look_alike, duplicates_checked=True)
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "possible_duplicates")
    ).all()
    assert len(events) == 1 and "Sok Chan" in events[0].after_json
