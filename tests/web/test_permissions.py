"""Every route checks role and area: another commune's case is not found, even by typing its id."""

import pytest

from tests.factories import open_case, open_task
from tests.web.helpers import post, sign_in


@pytest.fixture
def case(session, process_engine):
    made = open_case(session, process_engine)
    session.commit()
    return made


def test_commune_assistant_sees_a_case_of_their_commune(client, case):
    sign_in(client, "ca.charchhuk")
    assert client.get(f"/cases/{case.id}").status_code == 200


@pytest.mark.parametrize(
    "username", ["ca.dounpeng", "ca.chrouy", "vdc.dounpeng", "ssdm.ss", "sup.ss", "bo.social.ss"]
)
def test_officer_of_another_area_gets_404_for_the_case(client, case, username):
    sign_in(client, username)
    assert client.get(f"/cases/{case.id}").status_code == 404
    document_id = case.documents[0].id
    assert client.get(f"/cases/{case.id}/documents/{document_id}").status_code == 404


def test_officer_of_another_area_gets_404_for_the_task(client, session, case):
    task = open_task(session, case)
    sign_in(client, "ssdm.ss")
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert post(client, f"/tasks/{task.id}/claim").status_code == 404


def test_case_list_shows_only_cases_of_the_users_area(client, case):
    sign_in(client, "ca.dounpeng")
    assert case.reference not in client.get("/cases/").get_data(as_text=True)
    sign_in(client, "sup.ac")
    assert case.reference in client.get("/cases/").get_data(as_text=True)


def test_only_commune_assistants_open_applications(client):
    sign_in(client, "ssdm.ac")
    assert client.get("/cases/new").status_code == 403


def test_district_officer_downloads_a_document_of_their_district(client, case):
    sign_in(client, "ssdm.ac")
    response = client.get(f"/cases/{case.id}/documents/{case.documents[0].id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"


def test_posting_without_a_csrf_token_is_refused(client, session, case):
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    response = client.post(f"/tasks/{task.id}/claim")
    assert response.status_code == 400
    assert open_task(session, case).assignee_id is None
