"""The JSON API follows the pages' rules: area first, then the one confidentiality rule, for every role."""

from sqlalchemy import select

from tests.factories import work
from tests.web.helpers import sign_in
from tests.web.test_grievance_pages import record
from webapp.domain.cases import Case
from webapp.domain.people import User


def test_every_role_sees_a_confidential_name_through_the_api_only_when_handling_it(
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
        listed = client.get("/api/grievances").get_json()["grievances"]
        one = client.get(f"/api/grievances/{grievance.id}")
        if not viewer.covers(grievance.area_code):
            assert grievance.reference not in [g["reference"] for g in listed], viewer.username
            assert one.status_code == 404 and "error" in one.get_json(), viewer.username
            continue
        (entry,) = [g for g in listed if g["reference"] == grievance.reference]
        detail = one.get_json()["grievance"]
        for shown in (entry["complainant"], detail["complainant"]):
            if viewer.username in sees:
                assert shown == {"name": "Chea Kolab", "contact": "012 345 678", "hidden": None}, (
                    viewer.username
                )
            else:
                assert shown == {"name": None, "contact": None, "hidden": "Confidential"}, viewer.username


def test_an_anonymous_grievance_has_no_identity_in_the_api(client, session):
    grievance = record(
        client, session, username="ca.charchhuk", anonymous="y", complainant_name="", contact=""
    )
    sign_in(client, "ca.charchhuk")
    shown = client.get(f"/api/grievances/{grievance.id}").get_json()["grievance"]["complainant"]
    assert shown == {"name": None, "contact": None, "hidden": "Anonymous"}


def test_the_api_needs_a_signed_in_officer(client):
    response = client.get("/api/grievances")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
