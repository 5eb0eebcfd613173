"""Publishing is a national right: a supervisor proposes, a process owner or an administrator publishes."""

import re

from tests.publishing_samples import APPLICATION
from tests.web.helpers import post, sign_in
from webapp.services.casework.versions import latest_version


def _draft_page(client, session) -> str:
    serving = latest_version(session, APPLICATION)
    response = post(client, f"/processes/versions/{serving.id}/drafts")
    draft_id = int(re.search(r"/drafts/(\d+)", response.headers["Location"]).group(1))
    return client.get(f"/processes/drafts/{draft_id}").get_data(as_text=True)


def test_a_supervisor_who_owns_no_process_sees_no_publish_or_withdraw_button(client, session):
    sign_in(client, "sup.ss")
    page = _draft_page(client, session)
    assert 'id="bpmn-publish"' not in page and "process owner publishes" in page
    serving = latest_version(session, APPLICATION)
    version_page = client.get(f"/processes/versions/{serving.id}").get_data(as_text=True)
    assert "/withdraw" not in version_page
    assert post(client, f"/processes/versions/{serving.id}/withdraw").status_code == 403


def test_the_process_owner_sees_the_publish_button(client, session):
    sign_in(client, "sup.ac")
    assert 'id="bpmn-publish"' in _draft_page(client, session)
