"""The registry's pages: the search box, a person's page and history, change requests decided by the district,
the duplicate review, and the intake's "this may be the same person"."""

from datetime import date

from sqlalchemy import func, select

from tests.factories import open_case, user
from tests.services.test_grievances import record
from tests.web.helpers import post, sign_in
from tests.web.test_intake_and_inbox import intake_form
from webapp.domain.cases import Case
from webapp.domain.registry import ChangeStatus, Person, PersonChangeRequest
from webapp.services.casework.people import PersonDetails, register_person


def register(session, **overrides) -> Person:
    values = {
        "name_km": "កែវ សុខា",
        "name_latin": "Keo Sokha",
        "sex": "female",
        "date_of_birth": date(1970, 1, 9),
        "id_kind": "national_id",
        "id_number": "170444001",
        "village_code": "17010101",
    }
    return register_person(
        session, PersonDetails(**(values | overrides)), actor=user(session, "ca.charchhuk")
    )


def test_the_top_bar_search_finds_a_khmer_look_alike_and_a_romanisation_variant(client, session):
    person = register(session, name_km="កែវ សេចក្ដី")
    sign_in(client, "iso.ac")
    assert 'action="/search"' in client.get("/").get_data(as_text=True)
    for query in ("សេចក្តី", "Keo Sokhaa", "១៧០៤៤៤០០១"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert f"/people/{person.id}" in page, query


def test_search_shows_nobody_outside_the_officers_area(client, session):
    person = register(session)
    sign_in(client, "ca.chrouy")
    page = client.get("/search", query_string={"q": "Keo Sokha"}).get_data(as_text=True)
    assert f"/people/{person.id}" not in page
    assert client.get(f"/people/{person.id}").status_code == 404


def test_a_confidential_complainant_is_hidden_in_reference_results(client, session, process_engine):
    grievance = record(session, process_engine, confidential=True, complainant_name="Secret Person").grievance
    sign_in(client, "sup.ac")
    page = client.get("/search", query_string={"q": grievance.reference}).get_data(as_text=True)
    assert grievance.reference in page and "Secret Person" not in page and "Hidden" in page


def test_a_change_proposed_on_the_person_page_is_approved_by_the_district(client, session):
    person = register(session)
    sign_in(client, "ca.charchhuk")
    response = post(client, f"/people/{person.id}/changes", {"occupation": "Farmer", "reason": "She told us"})
    assert response.status_code == 302
    request = session.scalar(select(PersonChangeRequest).where(PersonChangeRequest.person_id == person.id))
    assert request.status == ChangeStatus.PENDING and person.occupation is None
    sign_in(client, "ssdm.ac")
    assert "She told us" in client.get("/registry/changes").get_data(as_text=True)
    post(client, f"/changes/{request.id}/decide", {"decision": "approve", "note": ""})
    session.expire_all()
    assert session.get(Person, person.id).occupation == "Farmer"
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Version 2" in page and "Farmer" in page


def test_a_commune_assistant_cannot_decide_nor_open_the_review(client, session):
    person = register(session)
    sign_in(client, "ca.charchhuk")
    post(client, f"/people/{person.id}/changes", {"occupation": "Farmer", "reason": "x"})
    request = session.scalar(select(PersonChangeRequest).where(PersonChangeRequest.person_id == person.id))
    post(client, f"/changes/{request.id}/decide", {"decision": "approve"})
    session.expire_all()
    assert session.get(PersonChangeRequest, request.id).status == ChangeStatus.PENDING
    assert client.get("/registry/duplicates").status_code == 403


def test_the_district_merges_a_duplicate_and_the_case_follows(client, session, process_engine):
    kept = register(session)
    twin_case = open_case(
        session,
        process_engine,
        id_number="170444002",
        name_km="កែវ សុខា",
        name_latin="Keo Sokha",
        date_of_birth=kept.date_of_birth,
    )
    sign_in(client, "sup.ac")
    assert f"/people/{twin_case.person_id}" in client.get("/registry/duplicates").get_data(as_text=True)
    first, second = sorted((kept.id, twin_case.person_id))
    response = post(
        client,
        "/registry/duplicates/merge",
        {"first": first, "second": second, "survivor": kept.id, "reason": "The same woman"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, twin_case.id).person_id == kept.id
    assert f"/people/{twin_case.person_id}" not in client.get("/registry/duplicates").get_data(as_text=True)


def test_the_intake_warns_of_a_possible_duplicate_and_uses_the_record_chosen(client, session):
    person = register(
        session,
        name_km="ចាន់ ធីតា",
        name_latin="Chan Thida",
        date_of_birth=date(1948, 2, 3),
    )
    sign_in(client, "ca.charchhuk")
    before = session.scalar(select(func.count()).select_from(Case))
    warned = post(
        client, "/cases/new", intake_form(id_number="170100999"), content_type="multipart/form-data"
    )
    assert warned.status_code == 200 and "possible-duplicates" in warned.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Case)) == before
    chosen = post(
        client,
        "/cases/new",
        intake_form(id_number="170100999", duplicate_choice=str(person.id)),
        content_type="multipart/form-data",
    )
    assert chosen.status_code == 302
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case.person_id == person.id
    (request,) = session.scalars(
        select(PersonChangeRequest).where(PersonChangeRequest.person_id == person.id)
    )
    assert (request.after["id_number"], request.after["equity_card"]) == ("170100999", "poor_2")


def test_the_intake_registers_a_new_person_when_the_officer_confirms(client, session):
    register(
        session,
        name_km="ចាន់ ធីតា",
        name_latin="Chan Thida",
        date_of_birth=date(1948, 2, 3),
    )
    sign_in(client, "ca.charchhuk")
    response = post(
        client,
        "/cases/new",
        intake_form(id_number="170100998", duplicate_choice="new"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert session.scalar(select(Person).where(Person.id_number == "170100998")) is not None
