"""The family folder: members, applications with their justification, grievances (confidential ones without
the complainant's name), letters, the use of programmes, likely programmes, and the area rule."""

from dataclasses import replace
from datetime import date

import pytest

from tests.factories import DOCUMENTS_OK, TODAY, drain_jobs, open_case, user, work
from tests.services.test_grievances import record
from tests.services.test_registry_registration import member
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.registry import Household, Relationship
from webapp.services.casework.people import register_person
from webapp.services.registry.folder import family_folder
from webapp.services.registry.matching import IF_IN_SCHOOL, match_people
from webapp.services.registry.programme_use import UseEntry, record_programme_use

GRANDMOTHER = member(
    name_km="សុខ ស្រីមុំ", name_latin="Sok Sreymom", sex="female", date_of_birth=date(1950, 3, 14)
)


def household_of(session, *people):
    officer = user(session, "ca.charchhuk")
    head = register_person(session, people[0].details, actor=officer)
    household = session.get(Household, head.membership.household_id)
    others = [
        register_person(
            session, entry.details, actor=officer, household=household, relationship=entry.relationship
        )
        for entry in people[1:]
    ]
    return household, head, others


def folder_for(session, engine, household, username="ca.charchhuk"):
    return family_folder(
        session, engine=engine, household_id=household.id, viewer=user(session, username), today=TODAY
    )


def test_the_folder_shows_each_application_with_its_result_and_the_rules_reason(session, process_engine):
    household, head, _ = household_of(session, GRANDMOTHER)
    case = open_case(
        session,
        process_engine,
        programme="fp_disability",
        id_number=head.id_number,
        name_latin="Sok Sreymom",
        name_km="សុខ ស្រីមុំ",
        date_of_birth=date(1950, 3, 14),
    )
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    drain_jobs(session)

    folder = folder_for(session, process_engine, household)

    [application] = folder.members[0].applications
    assert application.case.outcome == "rejected"
    assert application.case.outcome_reason == "The applicant has no recorded disability."
    assert application.eligibility_reason == "The applicant has no recorded disability."
    assert {letter.key for letter in folder.letters} >= {"application_received", "application_result"}


def test_a_confidential_grievance_shows_its_complainant_only_to_its_handlers(session, process_engine):
    household, head, _ = household_of(session, GRANDMOTHER)
    case = open_case(
        session,
        process_engine,
        programme="fp_elderly",
        id_number=head.id_number,
        name_latin="Sok Sreymom",
        name_km="សុខ ស្រីមុំ",
        date_of_birth=date(1950, 3, 14),
    )
    record(
        session, process_engine, username="ca.charchhuk", related_reference=case.reference, confidential=True
    )

    [handler_view] = folder_for(session, process_engine, household).grievances
    [district_view] = folder_for(session, process_engine, household, "ssdm.ac").grievances

    assert (handler_view.complainant, handler_view.hidden) == ("Sok Sreymom", None)
    assert (district_view.complainant, district_view.hidden, district_view.description) == (
        None,
        "Confidential",
        None,
    )


def test_programme_use_is_recorded_and_refused_when_it_makes_no_sense(session, process_engine):
    household, head, _ = household_of(session, member(date_of_birth=date(1990, 1, 1)))
    officer = user(session, "bo.rural.ac")
    entry = UseEntry("public_works", date(2026, 3, 1), date(2026, 5, 31), days=42, note="Road repair")
    record_programme_use(session, person_id=head.id, entry=entry, actor=officer, today=TODAY)

    [use] = folder_for(session, process_engine, household).members[0].uses
    assert (use.programme_code, use.days, use.end_date) == ("public_works", 42, date(2026, 5, 31))
    with pytest.raises(InvalidInput) as refused:
        bad = replace(entry, start_date=date(2026, 6, 1))
        record_programme_use(session, person_id=head.id, entry=bad, actor=officer, today=TODAY)
    assert "end_date" in refused.value.errors
    with pytest.raises(InvalidInput):
        record_programme_use(
            session,
            person_id=head.id,
            entry=replace(entry, programme_code="fp_base"),
            actor=officer,
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        record_programme_use(
            session, person_id=head.id, entry=entry, actor=user(session, "vdc.charchhuk"), today=TODAY
        )
    with pytest.raises(NotFound):
        record_programme_use(
            session, person_id=head.id, entry=entry, actor=user(session, "bo.rural.ss"), today=TODAY
        )


def test_matching_names_the_programmes_the_rules_admit_and_not_those_already_used(session, process_engine):
    child = member(
        Relationship.CHILD,
        name_km="សុខ ដារ៉ា",
        name_latin="Sok Dara",
        date_of_birth=date(2016, 6, 1),
        id_number="170100010",
    )
    _, head, [dara] = household_of(session, member(date_of_birth=date(1990, 1, 1)), child)
    record_programme_use(
        session,
        person_id=head.id,
        entry=UseEntry("public_works", date(2026, 3, 1)),
        actor=user(session, "bo.rural.ac"),
        today=TODAY,
    )

    found = {
        m.person.id: m for m in match_people(session, engine=process_engine, people=[head, dara], today=TODAY)
    }

    head_codes = {match.programme.code for match in found[head.id].likely}
    assert "fp_base" in head_codes and "health_equity_fund" in head_codes
    assert "public_works" not in head_codes and "fp_elderly" not in head_codes
    scholarship = next(m for m in found[dara.id].likely if m.programme.code == "scholarship")
    assert scholarship.condition == IF_IN_SCHOOL
    assert scholarship.reason == "The applicant meets the programme's rules."


def test_the_folder_is_not_found_outside_the_area_or_for_a_village_member(session, process_engine):
    household, _, _ = household_of(session, GRANDMOTHER)
    for username in ("ca.dounpeng", "vdc.charchhuk", "ssdm.ss"):
        with pytest.raises(NotFound):
            folder_for(session, process_engine, household, username)
