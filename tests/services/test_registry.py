"""The registry: the intake never overwrites a person, the district decides changes, duplicates are found and
merged with every reference following the survivor, and the search finds people and references."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import open_case, user
from tests.services.test_grievances import record
from webapp.domain.base import utcnow
from webapp.domain.errors import ConcurrentChange, InvalidInput, NotFound, PermissionDenied
from webapp.domain.grievances import Grievance
from webapp.domain.khmer_names import to_khmer_digits
from webapp.domain.people import User
from webapp.domain.registry import (
    ChangeStatus,
    HouseholdMember,
    Person,
    PersonChangeRequest,
    PersonMerge,
    PersonVersion,
)
from webapp.domain.spid import is_valid_spid
from webapp.services.casework.listing import Page, parse_list
from webapp.services.casework.people import PersonDetails, register_person
from webapp.services.casework.person_matches import SAME_ID, SAME_NAME_AND_BIRTH, possible_duplicates
from webapp.services.casework.search import find_references
from webapp.services.registry.changes import (
    approve_change,
    person_history,
    refuse_change,
    request_change,
)
from webapp.services.registry.duplicates import DuplicatePair, mark_distinct, merge_people
from webapp.services.registry.lists import CHANGE_LIST, DUPLICATE_LIST, change_page, duplicate_page
from webapp.services.registry.search import search_people


def details(**overrides) -> PersonDetails:
    values = {
        "name_km": "ចាន់ សុភា",
        "name_latin": "Chan Sophea",
        "sex": "female",
        "date_of_birth": date(1980, 5, 2),
        "id_kind": "national_id",
        "id_number": "170555001",
        "village_code": "17010101",
    }
    return PersonDetails(**(values | overrides))


def register(session, **overrides) -> Person:
    return register_person(session, details(**overrides), actor=user(session, "ca.charchhuk"))


def waiting_changes(session, username: str) -> list[int]:
    """The change requests the district's page lists for this user."""
    listing = parse_list(CHANGE_LIST, {})
    return [
        r.id for r in change_page(session, user=user(session, username), listing=listing, now=utcnow()).rows
    ]


def review(session, reader: User) -> Page[DuplicatePair]:
    """The first page of the district's duplicate review for this user."""
    return duplicate_page(session, user=reader, listing=parse_list(DUPLICATE_LIST, {}))


def test_a_registered_person_gets_a_spid_a_household_they_head_and_version_one(session):
    person = register(session, name_km="ចាន់\u200b សុភា ")
    assert is_valid_spid(person.spid) and person.spid.startswith("17")
    assert person.name_km == "ចាន់ សុភា"
    assert person.membership is not None and person.membership.household.head_id == person.id
    (version,) = session.scalars(select(PersonVersion).where(PersonVersion.person_id == person.id))
    assert version.version == 1 and version.data["name_km"] == "ចាន់ សុភា"


def test_an_application_with_another_spelling_files_a_change_request_and_keeps_the_record(
    session, process_engine
):
    first = open_case(session, process_engine, id_number="0101777001", name_km="សុខ ស្រីមុំ")
    again = open_case(
        session,
        process_engine,
        id_number=to_khmer_digits("0101 777 001"),  # the same ID typed in Khmer digits with spaces
        name_km="សុខ ស្រីមុំ",
        name_latin="Sok Sreymom",
        village_code="17010102",
    )
    assert again.person_id == first.person_id
    person = session.get(Person, first.person_id)
    assert person.village_code == "17010101"  # unchanged until the district decides
    (request,) = session.scalars(
        select(PersonChangeRequest).where(PersonChangeRequest.person_id == person.id)
    )
    assert request.status == ChangeStatus.PENDING
    assert (request.before, request.after) == ({"village_code": "17010101"}, {"village_code": "17010102"})


def test_a_look_alike_spelling_at_intake_is_no_change(session, process_engine):
    first = open_case(session, process_engine, id_number="0101777002", name_km="សុខ សេចក្ដី")
    open_case(session, process_engine, id_number="0101777002", name_km="សុខ\u200bសេចក្តី")
    assert (
        session.scalars(
            select(PersonChangeRequest).where(PersonChangeRequest.person_id == first.person_id)
        ).all()
        == []
    )


def test_the_district_approves_a_change_and_the_history_shows_both_versions(session):
    person = register(session)
    request = request_change(
        session,
        person=person,
        proposed={"name_latin": "Chan Sopheap", "occupation": "Farmer"},
        reason="Spelling on the ID card",
        actor=user(session, "ca.charchhuk"),
    )
    assert person.name_latin == "Chan Sophea"
    assert waiting_changes(session, "ssdm.ac") == [request.id]
    assert waiting_changes(session, "ssdm.ss") == []
    approve_change(session, request_id=request.id, actor=user(session, "ssdm.ac"))
    assert (person.name_latin, person.occupation, person.version) == ("Chan Sopheap", "Farmer", 2)
    newest, oldest = person_history(session, person=person)
    assert newest.changed == {"name_latin": ("Chan Sophea", "Chan Sopheap"), "occupation": (None, "Farmer")}
    assert newest.version.change_request_id == request.id and oldest.version.version == 1


def test_a_refused_change_leaves_the_record_and_is_kept(session):
    person = register(session)
    request = request_change(
        session,
        person=person,
        proposed={"village_code": "17010102"},
        reason="Moved",
        actor=user(session, "ca.charchhuk"),
    )
    with pytest.raises(InvalidInput):
        refuse_change(session, request_id=request.id, actor=user(session, "sup.ac"), note="  ")
    refuse_change(session, request_id=request.id, actor=user(session, "sup.ac"), note="No proof of the move")
    assert person.village_code == "17010101" and request.status == ChangeStatus.REFUSED
    assert request.decided_by_id == user(session, "sup.ac").id
    with pytest.raises(ConcurrentChange):
        approve_change(session, request_id=request.id, actor=user(session, "sup.ac"))


def test_only_the_district_of_the_person_decides(session):
    person = register(session)
    request = request_change(
        session,
        person=person,
        proposed={"occupation": "Teacher"},
        reason="Told us",
        actor=user(session, "ca.charchhuk"),
    )
    with pytest.raises(PermissionDenied):
        approve_change(session, request_id=request.id, actor=user(session, "iso.ac"))
    with pytest.raises(NotFound):
        approve_change(session, request_id=request.id, actor=user(session, "ssdm.ss"))
    with pytest.raises(PermissionDenied):
        approve_change(session, request_id=request.id, actor=user(session, "ca.charchhuk"))


def test_a_change_approved_after_the_record_moved_on_is_refused_as_stale(session):
    person = register(session)
    ca = user(session, "ca.charchhuk")
    first = request_change(session, person=person, proposed={"occupation": "Teacher"}, reason="a", actor=ca)
    second = request_change(session, person=person, proposed={"occupation": "Nurse"}, reason="b", actor=ca)
    approve_change(session, request_id=first.id, actor=user(session, "ssdm.ac"))
    with pytest.raises(ConcurrentChange):
        approve_change(session, request_id=second.id, actor=user(session, "ssdm.ac"))


def test_possible_duplicates_by_id_and_by_name_with_birth_date(session):
    person = register(session)
    by_id = possible_duplicates(session, details(id_number="១៧០ ៥៥៥ ០០១", name_km="សុខ", name_latin="Sok"))
    assert [(m.person.id, m.reasons) for m in by_id] == [(person.id, (SAME_ID,))]
    by_name = possible_duplicates(
        session,
        details(id_number="999", name_km="ចាន់\u200bសុភា", name_latin="Chan Sophia", village_code="17010201"),
    )
    assert [(m.person.id, m.reasons) for m in by_name] == [(person.id, (SAME_NAME_AND_BIRTH,))]
    assert (
        possible_duplicates(session, details(id_number="998", name_km="សុខ ដារ៉ា", name_latin="Sok Dara")) == []
    )


def test_a_merge_moves_every_case_grievance_household_place_and_change_request(session, process_engine):
    ca, ssdm = user(session, "ca.charchhuk"), user(session, "ssdm.ac")
    survivor_case = open_case(session, process_engine, id_number="0101888001", name_latin="Chan Sophea")
    twin_case = open_case(session, process_engine, id_number="0101888002", name_latin="Chan Sophia")
    survivor, twin = survivor_case.person, twin_case.person
    grievance = record(session, process_engine).grievance
    grievance.person_id = twin.id
    request = request_change(session, person=twin, proposed={"occupation": "Farmer"}, reason="x", actor=ca)
    session.flush()
    merge = merge_people(
        session, survivor_id=survivor.id, merged_id=twin.id, reason="One ID typed wrong", actor=ssdm
    )
    session.expire_all()
    assert session.get(type(twin_case), twin_case.id).person_id == survivor.id
    assert session.get(Grievance, grievance.id).person_id == survivor.id
    assert session.get(PersonChangeRequest, request.id).person_id == survivor.id
    assert session.get(Person, twin.id).merged_into_id == survivor.id
    assert session.scalar(select(HouseholdMember).where(HouseholdMember.person_id == twin.id)) is None
    moved = json.loads(session.get(PersonMerge, merge.id).moved_json)
    assert moved["case_file.person_id"] == [twin_case.id]
    assert moved["grievance.person_id"] == [grievance.id]
    assert session.get(Person, survivor.id).version == 2
    # The merged record's ID number now finds the survivor; search shows the survivor only.
    assert (
        open_case(session, process_engine, id_number="0101888002", name_latin="Chan Sophea").person_id
        == survivor.id
    )
    found = search_people(session, user=ssdm, query="0101888002")
    assert [p.id for p in found.people] == []
    assert [p.id for p in search_people(session, user=ssdm, query="0101888001").people] == [survivor.id]


def test_a_merge_is_the_districts_and_needs_two_live_records(session):
    first, second = register(session), register(session, id_number="170555002")
    with pytest.raises(PermissionDenied):
        merge_people(
            session,
            survivor_id=first.id,
            merged_id=second.id,
            reason="x",
            actor=user(session, "ca.charchhuk"),
        )
    with pytest.raises(InvalidInput):
        merge_people(
            session, survivor_id=first.id, merged_id=first.id, reason="x", actor=user(session, "sup.ac")
        )
    merge_people(
        session, survivor_id=first.id, merged_id=second.id, reason="x", actor=user(session, "sup.ac")
    )
    with pytest.raises(InvalidInput):
        merge_people(
            session, survivor_id=second.id, merged_id=first.id, reason="x", actor=user(session, "sup.ac")
        )


def test_the_duplicate_review_pairs_records_until_they_are_merged_or_found_distinct(session):
    ssdm = user(session, "ssdm.ac")
    first = register(session)
    second = register(session, id_number="170555003", name_km="ចាន់ សុភា", name_latin="Chan Sopheaa")
    third = register(session, id_number="170555004", name_km="ចាន់ សុភា", name_latin="Chan Sophea")
    pairs = {(pair.first.id, pair.second.id) for pair in review(session, ssdm).rows}
    assert pairs == {(first.id, second.id), (first.id, third.id), (second.id, third.id)}
    assert review(session, user(session, "ssdm.ss")).rows == []
    mark_distinct(session, first_id=third.id, second_id=first.id, actor=ssdm)
    merge_people(session, survivor_id=first.id, merged_id=second.id, reason="same", actor=ssdm)
    assert review(session, ssdm).rows == []


def test_search_finds_khmer_look_alikes_and_romanisation_variants(session):
    ca = user(session, "ca.charchhuk")
    person = register(session, name_km="សុខ សេចក្ដី", name_latin="Sok Sreymom", id_number="170555010")
    for query in ("សេចក្តី", "សុខ\u200bសេចក្ដី", "Sreimom", "sok srey mom", "SREYMOM"):
        assert person.id in [p.id for p in search_people(session, user=ca, query=query).people], query


def test_search_by_id_in_khmer_digits_by_spid_and_by_family_book(session):
    ca = user(session, "ca.charchhuk")
    person = register(session, id_number="170555011", family_book_number="FB-17-0042")
    for query in ("១៧០៥៥៥០១១", "170 555 011", person.spid, "fb 17 0042"):
        found = search_people(session, user=ca, query=query)
        assert [p.id for p in found.people][:1] == [person.id] and person.id in found.exact_ids, query


def test_search_is_cut_to_the_officers_area(session):
    person = register(session, name_latin="Chan Sophea")
    assert person.id in [
        p.id for p in search_people(session, user=user(session, "sup.ac"), query="Sophea").people
    ]
    assert search_people(session, user=user(session, "ca.dounpeng"), query="Sophea").people == []
    assert search_people(session, user=user(session, "ssdm.ss"), query=person.spid).people == []


def test_search_pages_by_twenty(session):
    for number in range(22):
        register(session, id_number=f"17066{number:04d}", name_latin="Keo Pisey")
    ca = user(session, "ca.charchhuk")
    first, second = (search_people(session, user=ca, query="Keo Pisey", page=page) for page in (1, 2))
    assert (len(first.people), first.has_next, len(second.people), second.has_next) == (20, True, 2, False)


def test_references_find_cases_and_hide_a_confidential_complainant(session, process_engine):
    case = open_case(session, process_engine)
    grievance = record(session, process_engine, confidential=True).grievance
    ca = user(session, "ca.charchhuk")
    (hit,) = find_references(session, user=ca, query=case.reference.lower())
    assert hit.exact and hit.case.id == case.id and hit.name
    assert [h.case.id for h in find_references(session, user=ca, query=case.reference[:9])][:1] != []
    assert find_references(session, user=user(session, "ca.chrouy"), query=case.reference) == []
    (seen,) = find_references(session, user=user(session, "sup.ac"), query=grievance.reference)
    assert seen.grievance is not None and seen.name is None  # the supervisor does not handle it


def test_a_national_officer_finds_names_through_the_whole_registry(session):
    person = register(session, name_km="ឈឹម សេចក្ដី", name_latin="Chhim Sreypov", id_number="170555020")
    hotline = user(session, "hotline")
    for query in ("ឈឹម សេចក្តី", "Chim Sreipov"):
        assert person.id in [p.id for p in search_people(session, user=hotline, query=query).people], query
