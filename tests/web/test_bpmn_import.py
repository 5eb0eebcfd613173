"""Importing a BPMN file from another modeller: the upload page, the draft with its problems, publishing."""

import io
import re

import pytest
from sqlalchemy import func, select

from tests.services.test_publishing_contracts import START_TO_END, calling, one_step
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.publishing import WorkflowDraft
from webapp.services.casework.versions import latest_version
from webapp.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def _upload(client, process_id: str, data: bytes, name: str = "diagram.bpmn", **extra):
    form = {"process_id": process_id, "bpmn_file": (io.BytesIO(data), name), **extra}
    return post(client, "/processes/import", form, content_type="multipart/form-data")


def _drafts(session) -> int:
    return session.scalar(select(func.count()).select_from(WorkflowDraft))


def _draft_id(page: str) -> int:
    return int(re.search(r"/processes/drafts/(\d+)/publish", page).group(1))


@pytest.mark.parametrize("username", ["ca.charchhuk", "ssdm.ac"])
def test_officers_get_404_on_the_import_page(client, username):
    sign_in(client, username)
    assert client.get("/processes/import").status_code == 404
    assert _upload(client, "home_visit", one_step("home_visit").encode()).status_code == 404


def test_the_import_page_has_the_form_with_its_token_and_limit(client):
    sign_in(client, "sup.ac")
    assert 'href="/processes/import"' in client.get("/processes/").get_data(as_text=True)
    page = client.get("/processes/import?process=ssdm_programme_application").get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'enctype="multipart/form-data"' in page
    assert 'name="process_id" value="ssdm_programme_application"' in page and 'name="bpmn_file"' in page
    assert "A BPMN 2.0 file of at most 2 MB." in page


def test_an_import_without_the_csrf_token_is_refused(client, session):
    sign_in(client, "sup.ac")
    before = _drafts(session)
    data = {"process_id": "home_visit", "bpmn_file": (io.BytesIO(one_step("home_visit").encode()), "v.bpmn")}
    response = client.post("/processes/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and _drafts(session) == before


def test_a_camunda_file_imports_as_a_draft_showing_each_problem_on_its_element(client, session):
    sign_in(client, "sup.ac")
    data = (FIXTURES / "camunda_disability_card.bpmn").read_bytes()

    response = _upload(client, "disability_card_request", data, name="disability card.bpmn")

    page = response.get_data(as_text=True)
    assert response.status_code == 201
    assert "disability card.bpmn imported as draft" in page
    assert 'data-element-id="check_documents"' in page and 'data-element-id="notify_registry"' in page
    assert "Sala offers a task to a role, so that was left out." in page
    assert "is a service task, and Sala has no service a process can call." in page
    assert 'id="bpmn-canvas"' in page  # the diagram, where modeler.js marks each row's element
    draft = session.get(WorkflowDraft, _draft_id(page))
    assert draft.process_id == "disability_card_request" and draft.parent_version_id is None
    listing = client.get("/processes/").get_data(as_text=True)
    assert "disability_card_request" in listing and f"/processes/drafts/{draft.id}" in listing


def test_a_clean_import_publishes_from_its_draft_page(client, session):
    sign_in(client, "sup.ac")
    response = _upload(client, "home_visit", one_step("home_visit").encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 201 and "No problem found: this draft can be published." in page

    published = post(client, f"/processes/drafts/{_draft_id(page)}/publish")

    assert published.status_code == 302 and "/processes/versions/" in published.headers["Location"]
    assert latest_version(session, "home_visit").version == 1


def test_a_self_calling_import_is_refused_at_publishing_in_english_and_khmer(client, session):
    sign_in(client, "sup.ac")
    page = _upload(client, "home_visit", calling("home_visit", "home_visit").encode()).get_data(as_text=True)
    draft_id = _draft_id(page)
    english = post(client, f"/processes/drafts/{draft_id}/publish")
    assert english.status_code == 422
    text = english.get_data(as_text=True)
    assert 'data-element-id="again"' in text and "which leads back to home_visit" in text

    sign_in(client, "sup.ac", locale="km")
    khmer = post(client, f"/processes/drafts/{draft_id}/publish").get_data(as_text=True)
    assert 'data-element-id="again"' in khmer and "which leads back" not in khmer
    assert "home_visit → home_visit" in khmer
    assert latest_version(session, "home_visit") is None


def test_a_start_to_end_diagram_imported_as_the_application_is_refused_in_khmer(client, session):
    serving = latest_version(session, "ssdm_programme_application")
    sign_in(client, "sup.ac", locale="km")
    page = _upload(client, "ssdm_programme_application", START_TO_END.encode()).get_data(as_text=True)
    assert "សាលាបើកករណីដោយបំពេញកិច្ចការអ្នកប្រើ intake" in page and 'data-element-id="done"' in page

    refused = post(client, f"/processes/drafts/{_draft_id(page)}/publish")
    assert refused.status_code == 422
    assert latest_version(session, "ssdm_programme_application").id == serving.id


def test_an_unreadable_file_or_a_bad_process_id_stores_nothing(client, session):
    sign_in(client, "sup.ac")
    before = _drafts(session)
    unreadable = _upload(client, "home_visit", b"<html>not a diagram</html>")
    assert unreadable.status_code == 422
    assert "The file could not be imported. Nothing was stored." in unreadable.get_data(as_text=True)

    bad_id = _upload(client, "Home visit!", one_step("home_visit").encode())
    assert bad_id.status_code == 422
    assert "Write the process id in small letters, digits and _" in bad_id.get_data(as_text=True)

    no_file = post(
        client, "/processes/import", {"process_id": "home_visit"}, content_type="multipart/form-data"
    )
    assert no_file.status_code == 422 and "Choose the .bpmn file to import." in no_file.get_data(as_text=True)
    assert _drafts(session) == before


def test_the_413_page_states_the_limits_the_app_enforces(client, app):
    sign_in(client, "sup.ac")
    token = csrf_token(client, "/processes/import")
    total = app.config["MAX_CONTENT_LENGTH"]
    each = app.extensions["sala"].settings.max_upload_bytes
    huge = {"csrf_token": token, "process_id": "x", "bpmn_file": (io.BytesIO(b"0" * (total + 10)), "x.bpmn")}

    response = client.post("/processes/import", data=huge, content_type="multipart/form-data")

    text = response.get_data(as_text=True)
    assert response.status_code == 413
    megabytes = f"{total / 1024 / 1024:g} MB", f"{each / 1024 / 1024:g} MB"
    assert (
        f"a form may send at most {megabytes[0]} in all, and each file may be at most {megabytes[1]}." in text
    )
    assert "Each file may be at most 5 MB." not in text  # the old fixed text, true only by chance
