"""Opening an application from the browser form, working the inbox, and bad input of every kind."""

import io
from pathlib import Path

from sqlalchemy import func, select

from tests.factories import open_case, open_task
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.cases import Case
from webapp.domain.registry import Person

FIXTURES = Path(__file__).parent.parent / "fixtures"


def intake_form(**overrides):
    data = {
        "name_km": "ចាន់ ធីតា",
        "name_latin": "Chan Thida",
        "sex": "female",
        "date_of_birth": "1948-02-03",
        "id_kind": "national_id",
        "id_number": "170100123",
        "village": "17010101",
        "equity_card": "poor_2",
        "household_size": "3",
        "programme": "fp_elderly",
        "family_book": (io.BytesIO((FIXTURES / "family_book.pdf").read_bytes()), "family-book.pdf"),
    }
    data.update(overrides)
    return data


def count_cases(session):
    return session.scalar(select(func.count()).select_from(Case))


def test_commune_assistant_opens_an_application_from_the_form(client, session):
    sign_in(client, "ca.charchhuk")
    before = count_cases(session)
    response = post(client, "/cases/new", intake_form(), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    case_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Chan Thida" in case_page and "Check the documents" in case_page
    assert count_cases(session) == before + 1


def test_invalid_intake_shows_errors_beside_fields_and_saves_nothing(client, session):
    sign_in(client, "ca.charchhuk")
    before = session.scalar(select(func.count()).select_from(Person))
    response = post(
        client,
        "/cases/new",
        intake_form(
            name_km="Chan Thida", date_of_birth="2099-01-01", household_size="0", programme="made_up"
        ),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write the name in Khmer script." in page
    assert "The date cannot be in the future." in page
    assert "Choose a value from the list." in page
    assert session.scalar(select(func.count()).select_from(Person)) == before


def test_village_of_another_commune_is_refused(client):
    sign_in(client, "ca.charchhuk")
    response = post(client, "/cases/new", intake_form(village="17120101"), content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a value from the list." in response.get_data(as_text=True)


def test_wrong_file_type_is_refused_with_a_clear_message(client, session):
    sign_in(client, "ca.charchhuk")
    before = count_cases(session)
    bad = (io.BytesIO((FIXTURES / "not_a_document.exe").read_bytes()), "family-book.pdf")
    response = post(client, "/cases/new", intake_form(family_book=bad), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Only PDF, JPEG and PNG files are accepted." in response.get_data(as_text=True)
    assert count_cases(session) == before


def test_oversize_upload_is_refused_with_a_clear_message(client, app):
    sign_in(client, "ca.charchhuk")
    huge = (io.BytesIO(b"%PDF-" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 10)), "huge.pdf")
    response = post(client, "/cases/new", intake_form(family_book=huge), content_type="multipart/form-data")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_file_over_the_per_file_limit_is_refused(client, app):
    sign_in(client, "ca.charchhuk")
    limit = app.extensions["sala"].settings.max_upload_bytes
    big = (io.BytesIO(b"%PDF-" + b"0" * limit), "big.pdf")
    response = post(client, "/cases/new", intake_form(family_book=big), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The file is larger than the limit." in response.get_data(as_text=True)


def test_officer_claims_from_the_inbox_and_completes_the_task(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    assert case.reference in client.get("/").get_data(as_text=True)
    assert post(client, f"/tasks/{task.id}/claim").status_code == 302
    form_page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Are the documents complete and readable?" in form_page
    response = post(
        client, f"/tasks/{task.id}", {"documents_complete": "yes", "case_version": str(case.version_id)}
    )
    assert response.status_code == 302
    assert open_task(session, case).role == "back_office_social_affairs"


def test_conditional_field_is_required_when_documents_are_incomplete(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    post(client, f"/tasks/{task.id}/claim")
    response = post(client, f"/tasks/{task.id}", {"documents_complete": "no"})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    assert open_task(session, case).id == task.id


def test_stale_page_after_another_officer_acted_says_so(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    post(client, f"/tasks/{task.id}/claim")
    response = post(client, f"/tasks/{task.id}", {"documents_complete": "yes", "case_version": "1"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This case was changed by someone else" in page


def test_task_completed_twice_is_refused(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    post(client, f"/tasks/{task.id}/claim")
    post(client, f"/tasks/{task.id}", {"documents_complete": "yes"})
    again = post(client, f"/tasks/{task.id}", {"documents_complete": "yes"})
    assert "This task is no longer open" in again.get_data(as_text=True)


def test_supervisor_reassigns_from_the_task_page(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "sup.ac")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Reassign to" in page
    from tests.factories import user

    target = user(session, "ssdm.ac")
    assert post(client, f"/tasks/{task.id}/reassign", {"assignee_id": str(target.id)}).status_code == 302
    assert open_task(session, case).assignee_id == target.id


def test_garbage_ids_and_bodies_never_give_a_500(client):
    sign_in(client, "sup.ac")
    for path in ("/tasks/999999", "/cases/999999", "/cases/1/documents/999999"):
        assert client.get(path).status_code == 404
    token = csrf_token(client, "/")
    assert (
        client.post("/tasks/999999/reassign", data={"assignee_id": "x", "csrf_token": token}).status_code
        == 400
    )
    assert client.post("/tasks/abc/claim", data={"csrf_token": token}).status_code == 404
