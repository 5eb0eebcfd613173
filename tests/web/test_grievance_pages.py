"""Grievance pages: officer intake, the grievance page per role, the public form and its status page."""

import re

from sqlalchemy import func, select

from tests.factories import drain_jobs, user, work
from tests.services.test_grievances import KHMER
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.cases import Case
from webapp.domain.grievances import Grievance
from webapp.domain.letters import Letter
from webapp.domain.people import User
from webapp.domain.tasks import Task

FORM = {
    "category": "unsuccessful_application",
    "area": "17010101",
    "complainant_name": "Chea Kolab",
    "contact": "012 345 678",
    "description": KHMER,
}


def record(client, session, username="vdc.charchhuk", **overrides) -> Grievance:
    sign_in(client, username)
    response = post(client, "/grievances/new", FORM | overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return session.scalars(select(Grievance).order_by(Grievance.id.desc())).first()


def test_a_vdc_member_records_a_grievance_in_khmer_and_sees_it(client, session):
    grievance = record(client, session)
    page = client.get(f"/grievances/{grievance.id}").get_data(as_text=True)
    assert KHMER in page and "Chea Kolab" in page and grievance.reference in page
    inbox = client.get("/").get_data(as_text=True)
    assert "Try to solve the grievance in the village" in inbox


def test_a_role_without_a_channel_gets_404_on_the_intake_page(client, session):
    sign_in(client, "bo.health.ac")
    assert client.get("/grievances/new").status_code == 404


def test_an_officer_of_another_district_gets_404_on_the_grievance(client, session):
    grievance = record(client, session)
    sign_in(client, "iso.ss")
    assert client.get(f"/grievances/{grievance.id}").status_code == 404
    assert client.get(f"/grievances/case/{grievance.case_id}").status_code == 404


def test_a_confidential_complainant_is_hidden_from_the_supervisor_and_shown_to_the_secretary(
    client, session, process_engine
):
    grievance = record(client, session, confidential="y")
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="send_up",
        decision="",
        decision_reason="Up",
    )
    for username, sees in (("sup.ac", False), ("cwcc.ac", True), ("iso.ac", False), ("admin", False)):
        sign_in(client, username)
        page = client.get(f"/grievances/{grievance.id}").get_data(as_text=True)
        assert ("Chea Kolab" in page) is sees, username
        assert ("Confidential" in page) is not sees, username
        # The case page and the inbox never show the complainant's name either.
        assert "Chea Kolab" not in client.get(f"/cases/{case.id}").get_data(as_text=True), username
        assert "Chea Kolab" not in client.get("/").get_data(as_text=True), username


def test_empty_and_enormous_descriptions_are_refused_with_nothing_stored(client, session):
    sign_in(client, "ca.charchhuk")
    before = session.scalar(select(func.count()).select_from(Grievance))
    for description in ("", "x" * 5001):
        response = post(client, "/grievances/new", FORM | {"description": description})
        assert response.status_code == 422
        assert "field-error" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Grievance)) == before


def test_an_unsupported_attachment_is_refused(client, session, fixtures_dir):
    sign_in(client, "ca.charchhuk")
    with (fixtures_dir / "not_a_document.exe").open("rb") as exe:
        response = post(
            client,
            "/grievances/new",
            FORM | {"attachment": (exe, "x.exe")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(Grievance)) == 0


def _public_post(client, data):
    client.set_cookie("sala_lang", "en")
    token = csrf_token(client, "/grievance")
    return client.post("/grievance", data={"csrf_token": token, **data})


def test_the_public_form_files_a_grievance_and_the_status_page_checks_it(client, session):
    response = _public_post(client, FORM | {"area": "170101", "anonymous": "y", "complainant_name": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    reference = re.search(r'id="reference">([^<]+)<', page).group(1)
    code = re.search(r'id="status-code">([^<]+)<', page).group(1)
    token = csrf_token(client, "/grievance/status")
    ok = client.post("/grievance/status", data={"csrf_token": token, "reference": reference, "code": code})
    assert ok.status_code == 200 and "Being examined (level 1)" in ok.get_data(as_text=True)
    wrong = client.post(
        "/grievance/status", data={"csrf_token": token, "reference": reference, "code": "ZZZZ"}
    )
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "No grievance matches this number and code" in text
    assert "Being examined" not in text and KHMER not in text


def test_the_public_form_needs_its_csrf_token(client, session):
    response = client.post("/grievance", data=FORM | {"area": "170101"})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Grievance)) == 0


def test_a_flooded_public_form_is_refused_from_that_address(client, session):
    for _ in range(5):
        assert _public_post(client, FORM | {"area": "170101"}).status_code == 200
    flooded = _public_post(client, FORM | {"area": "170101"})
    assert flooded.status_code == 429
    assert "Too many grievances" in flooded.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Grievance)) == 5


def test_the_case_page_of_a_grievance_links_back_to_it(client, session):
    grievance = record(client, session)
    page = client.get(f"/cases/{grievance.case_id}").get_data(as_text=True)
    assert f"/grievances/case/{grievance.case_id}" in page
    assert (
        client.get(f"/grievances/case/{grievance.case_id}")
        .headers["Location"]
        .endswith(f"/grievances/{grievance.id}")
    )
    assert user(session, "vdc.charchhuk").role == "vdc_member"


def test_every_role_sees_a_confidential_name_on_the_list_and_in_the_csv_only_when_handling_it(
    client, session, process_engine
):
    grievance = record(client, session, confidential="y")
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="send_up",
        decision="",
        decision_reason="Up",
    )
    sees = {"vdc.charchhuk", "ca.charchhuk", "cwcc.ac", "tcc.ac"}
    for viewer in session.scalars(select(User).order_by(User.username)).all():
        sign_in(client, viewer.username)
        page = client.get("/grievances/").get_data(as_text=True)
        csv_text = client.get("/grievances/?format=csv").get_data(as_text=True)
        assert ("Chea Kolab" in page) is (viewer.username in sees), viewer.username
        assert ("Chea Kolab" in csv_text) is (viewer.username in sees), viewer.username
        if viewer.covers(grievance.area_code) and viewer.username not in sees:
            assert "Confidential" in page and f"{grievance.reference}," in csv_text, viewer.username
        if not viewer.covers(grievance.area_code):
            assert grievance.reference not in page + csv_text, viewer.username


def test_a_confidential_grievance_s_letters_open_only_for_its_handlers(client, session, process_engine):
    grievance = record(client, session, confidential="y")
    case = session.get(Case, grievance.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="send_up",
        decision="",
        decision_reason="Up",
    )
    drain_jobs(session)
    letter = session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)).first()
    path = f"/cases/{case.id}/letters/{letter.id}/html"
    for username, status in (("cwcc.ac", 200), ("ca.charchhuk", 200), ("sup.ac", 404), ("admin", 404)):
        sign_in(client, username)
        response = client.get(path)
        assert response.status_code == status, username
        assert ("Chea Kolab" in response.get_data(as_text=True)) is (status == 200), username


def test_the_person_appeals_a_level_1_decision_once_and_it_goes_to_the_committee(
    client, session, process_engine
):
    grievance = record(client, session, username="ca.charchhuk")
    case = session.get(Case, grievance.case_id)
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="resolve",
        decision="rejected",
        decision_reason="Not on the IDPoor list.",
    )
    sign_in(client, "ca.charchhuk")
    page = client.get(f"/grievances/{grievance.id}").get_data(as_text=True)
    assert 'id="appeal"' in page
    assert post(client, f"/grievances/{grievance.id}/appeal").status_code == 302
    session.expire_all()
    appeal = session.scalars(select(Grievance).where(Grievance.appeal_of_id == grievance.id)).one()
    assert appeal.level == 2 and appeal.complainant_name == "Chea Kolab"
    assert [t.spec_name for t in session.scalars(select(Task).where(Task.case_id == appeal.case_id))] == [
        "decide_cwcc"
    ]
    again = post(client, f"/grievances/{grievance.id}/appeal", follow_redirects=True)
    assert "Only a level-1 decision can be appealed, and only once." in again.get_data(as_text=True)
    sign_in(client, "sup.ac")
    assert post(client, f"/grievances/{grievance.id}/appeal").status_code == 404
