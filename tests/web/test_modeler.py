"""The process pages: only supervisors and administrators reach them; drafts save, publish and refuse."""

import re

import pytest
from sqlalchemy import select

from tests.factories import open_case
from tests.publishing_samples import APPLICATION, with_review_step
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.publishing import WorkflowDraft
from webapp.services.casework.versions import latest_version


def _version_id(session) -> int:
    """The version new cases start on, read in a transaction of its own as a request would: the test's
    session shares the pages' database transaction, and a transaction keeps the reference stamp it read."""
    session.commit()
    return latest_version(session, APPLICATION).id


def _new_draft(client, session) -> int:
    response = post(client, f"/processes/versions/{_version_id(session)}/drafts")
    assert response.status_code == 302
    return int(re.search(r"/drafts/(\d+)", response.headers["Location"]).group(1))


def _save(client, draft_id: int, xml: str, token: str):
    return client.post(
        f"/processes/drafts/{draft_id}",
        data={"bpmn_xml": xml, "change_note": "Review step"},
        headers={"X-CSRFToken": token},
    )


@pytest.mark.parametrize("username", ["ca.charchhuk", "ssdm.ac", "bo.social.ac", "iso.ac", "vdc.charchhuk"])
def test_officers_get_404_on_every_process_page(client, session, username):
    version_id = _version_id(session)
    sign_in(client, username)
    for path in (
        "/processes/",
        "/processes/vocabulary.json",
        f"/processes/versions/{version_id}",
        f"/processes/versions/{version_id}/bpmn",
        f"/processes/versions/{version_id}/export",
        f"/processes/versions/{version_id}/migrate",
    ):
        assert client.get(path).status_code == 404, path
    assert post(client, f"/processes/versions/{version_id}/drafts").status_code == 404
    assert "/processes/" not in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client, session):
    response = client.get("/processes/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_supervisor_sees_the_process_list_with_its_serving_version(client, session):
    sign_in(client, "sup.ac")
    page = client.get("/processes/").get_data(as_text=True)
    assert APPLICATION in page and "Serves new cases" in page
    assert 'href="/processes/"' in client.get("/").get_data(as_text=True)


def test_a_version_page_loads_bpmn_js_from_static_files_without_inline_script(client, session):
    sign_in(client, "admin")
    page = client.get(f"/processes/versions/{_version_id(session)}").get_data(as_text=True)
    assert "/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js" in page
    assert "/static/js/modeler.js" in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    xml = client.get(f"/processes/versions/{_version_id(session)}/bpmn")
    assert xml.status_code == 200 and xml.mimetype == "application/xml" and b"<bpmn:definitions" in xml.data


def test_saving_without_the_csrf_token_is_refused(app, client, session):
    sign_in(client, "sup.ac")
    draft_id = _new_draft(client, session)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/processes/drafts/{draft_id}", data={"bpmn_xml": "<x/>"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = runtime_csrf(app)


def runtime_csrf(app) -> bool:
    return app.extensions["sala"].settings.csrf_enabled


def test_a_supervisor_saves_and_publishes_a_draft_that_new_cases_use(client, session, process_engine):
    sign_in(client, "sup.ac")
    draft_id = _new_draft(client, session)
    saved = _save(client, draft_id, with_review_step().decode(), csrf_token(client, "/"))
    assert saved.status_code == 200 and saved.get_json()["message"] == "Draft saved."
    response = post(client, f"/processes/drafts/{draft_id}/publish")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(WorkflowDraft, draft_id).status == "published"
    assert open_case(session, process_engine).workflow_version_id == latest_version(session, APPLICATION).id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "published: new cases use it" in page


def test_a_refused_publish_lists_each_problem_with_element_and_fix(client, session):
    sign_in(client, "sup.ac")
    draft_id = _new_draft(client, session)
    broken = with_review_step().decode().replace('name="inter_sector_officer"', 'name="village_chief"')
    _save(client, draft_id, broken, csrf_token(client, "/"))
    response = post(client, f"/processes/drafts/{draft_id}/publish")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    page = page[page.index('id="publish-problems"') : page.index("</section>")]
    assert "The process was not published." in page
    assert 'data-element-id="lane_inter_sector_officer"' in page
    assert "The lane village_chief is not one of Sala" in page
    assert "Name the lane after a role from the list" in page
    assert session.scalar(select(WorkflowDraft.status).where(WorkflowDraft.id == draft_id)) == "open"


def test_export_downloads_the_bpmn_file(client, session):
    sign_in(client, "sup.ss")
    response = client.get(f"/processes/versions/{_version_id(session)}/export")
    assert response.status_code == 200
    assert f"filename={APPLICATION}.bpmn" in response.headers["Content-Disposition"]


def test_vocabulary_lists_roles_and_forms_for_the_properties_panel(client):
    sign_in(client, "admin")
    data = client.get("/processes/vocabulary.json").get_json()
    assert {"value": "commune_assistant", "label": "Commune assistant"} in data["roles"]
    assert "check_documents" in {form["value"] for form in data["forms"]}
    assert "application_result" in {letter["value"] for letter in data["letters"]}
    assert data["calendars"] and all(calendar["value"] for calendar in data["calendars"])


def test_migration_preview_and_move(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "sup.ac")
    draft_id = _new_draft(client, session)
    _save(client, draft_id, with_review_step().decode(), csrf_token(client, "/"))
    post(client, f"/processes/drafts/{draft_id}/publish")
    target = _version_id(session)
    page = client.get(f"/processes/versions/{target}/migrate").get_data(as_text=True)
    assert case.reference in page
    response = post(client, f"/processes/versions/{target}/migrate", {"case_id": str(case.id)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(type(case), case.id).workflow_version_id == target
    page = client.get(f"/processes/versions/{target}/migrate").get_data(as_text=True)
    assert "Move back" in page
    assert "Case moved to another version" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_diff_page_names_the_new_step(client, session):
    sign_in(client, "admin")
    draft_id = _new_draft(client, session)
    old = _version_id(session)
    _save(client, draft_id, with_review_step().decode(), csrf_token(client, "/"))
    post(client, f"/processes/drafts/{draft_id}/publish")
    page = client.get(f"/processes/diff?old={old}&new={_version_id(session)}").get_data(as_text=True)
    assert "review_decision" in page and "Review the decision" in page
    marked = re.search(r'data-mark-added="([^"]*)"', page).group(1).split()
    assert sorted(marked) == ["flow_review_to_announce", "review_decision"]
    assert client.get("/processes/diff?old=x&new=1").status_code == 400


def test_withdrawing_a_version_from_its_page(client, session):
    sign_in(client, "admin")
    draft_id = _new_draft(client, session)
    shipped = _version_id(session)
    _save(client, draft_id, with_review_step().decode(), csrf_token(client, "/"))
    post(client, f"/processes/drafts/{draft_id}/publish")
    new = _version_id(session)
    assert "/withdraw" in client.get(f"/processes/versions/{new}").get_data(as_text=True)
    assert "/withdraw" not in client.get(f"/processes/versions/{shipped}").get_data(as_text=True)
    assert post(client, f"/processes/versions/{new}/withdraw").status_code == 302
    assert _version_id(session) == shipped


def test_decision_tables_of_a_version_open_read_only(client, session):
    version_id = _version_id(session)
    sign_in(client, "sup.ac")
    page = client.get(f"/processes/versions/{version_id}").get_data(as_text=True)
    assert f"/processes/versions/{version_id}/decisions/programme_eligibility.dmn" in page
    viewer = client.get(f"/processes/versions/{version_id}/decisions/programme_eligibility.dmn")
    assert viewer.status_code == 200 and b"dmn-viewer.production.min.js" in viewer.data
    xml = client.get(f"/processes/versions/{version_id}/decisions/programme_eligibility.dmn/dmn")
    assert xml.status_code == 200 and b'<decision id="programme_eligibility"' in xml.data
    assert client.get(f"/processes/versions/{version_id}/decisions/other.dmn").status_code == 404
    sign_in(client, "ssdm.ac")
    assert (
        client.get(f"/processes/versions/{version_id}/decisions/programme_eligibility.dmn/dmn").status_code
        == 404
    )


def test_checking_a_draft_lists_problems_without_publishing(client, session):
    sign_in(client, "sup.ac")
    draft_id = _new_draft(client, session)
    ok = post(client, f"/processes/drafts/{draft_id}/validate")
    assert ok.status_code == 200 and "No problem found" in ok.get_data(as_text=True)
    broken = with_review_step().decode().replace('value="check_documents" />', 'value="nope" />', 1)
    _save(client, draft_id, broken, csrf_token(client, "/"))
    refused = post(client, f"/processes/drafts/{draft_id}/validate")
    assert refused.status_code == 422 and "The form nope does not exist." in refused.get_data(as_text=True)
    assert session.scalar(select(WorkflowDraft.status).where(WorkflowDraft.id == draft_id)) == "open"
