"""List pages: filters in the query string (hostile values ignored with a message, never a 500), one page
of rows, saved views as tabs that only their owner sees, and bulk claim, reassign and mark-delivered."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from tests.factories import drain_jobs, open_case, open_task, user
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.base import utcnow
from webapp.domain.letters import Letter
from webapp.domain.tasks import Task
from webapp.domain.views import SavedView
from webapp.services.casework.listing import PER_PAGE

LIST_PAGES = ("/", "/cases/", "/grievances/", "/letters/", "/sla/watch")
FILTERS = ("q", "status", "commune", "programme", "step", "sla", "from", "to", "sort", "page", "after",
           "before", "view", "delivery", "type", "category", "level", "format")  # fmt: skip
HOSTILE = ("' OR 1=1 --", "\u202eevil", "9" * 400, "2026-02-30", "-1", "<script>", "%00", "សួស្ដី", "1e999")


def _rows(page: str, marker: str) -> int:
    return len(re.findall(rf'<tr {marker}="\d+"', page))


def test_every_list_answers_hostile_filter_values_without_a_server_error(client):
    sign_in(client, "sup.ac")
    for path in LIST_PAGES:
        for turn, value in enumerate(HOSTILE):
            query = urlencode({name: HOSTILE[(turn + n) % len(HOSTILE)] for n, name in enumerate(FILTERS)})
            assert client.get(f"{path}?{query}").status_code in (200, 404), (path, value)


def test_a_filter_value_that_does_not_parse_is_ignored_with_a_message(client):
    sign_in(client, "sup.ac")
    page = client.get("/cases/?status=maybe&from=2026-02-30").get_data(as_text=True)
    assert "Some filters were not understood and were ignored: Status, Opened from" in page


def test_the_case_list_shows_one_page_with_more_cases_in_the_database(client, session, process_engine):
    for n in range(PER_PAGE + 1):
        open_case(session, process_engine, id_number=f"W{n:07d}", documents=[])
    session.commit()
    sign_in(client, "sup.ac")
    page = client.get("/cases/").get_data(as_text=True)
    assert _rows(page, "data-case") == PER_PAGE
    following = re.search(r'href="([^"]+)" rel="next"', page)
    assert following is not None
    second = client.get(following.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert _rows(second, "data-case") == 1 and 'rel="prev"' in second


def test_the_commune_assistant_finds_a_case_by_its_reference(client, session, process_engine):
    wanted = open_case(session, process_engine)
    other = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ca.charchhuk")
    number = wanted.reference.rsplit("-", 1)[-1]
    page = client.get(f"/cases/?q={number}").get_data(as_text=True)
    assert wanted.reference in page and other.reference not in page
    assert 'data-label="Reference"' in page  # the row becomes a card on a phone
    assert "No case matches these filters." in client.get("/cases/?q=NOPE-0").get_data(as_text=True)


def test_an_officer_saves_a_view_sees_it_as_a_tab_and_deletes_it(client, session):
    sign_in(client, "sup.ac")
    response = post(client, "/views", {"list": "cases", "name": "Open ones", "query": "status=open&junk=1"})
    assert response.status_code == 302
    view = session.scalar(select(SavedView).where(SavedView.name == "Open ones"))
    assert view is not None and view.query == "status=open"
    assert response.headers["Location"].endswith(f"/cases/?view={view.id}")
    page = client.get(f"/cases/?view={view.id}").get_data(as_text=True)
    assert f'href="/cases/?view={view.id}" aria-current="page">Open ones</a>' in page
    assert '<option value="open" selected>' in page
    view_id = view.id
    assert post(client, f"/views/{view_id}/delete").status_code == 302
    session.expire_all()
    assert session.scalar(select(SavedView).where(SavedView.id == view_id)) is None


def test_someone_elses_view_is_not_shown_nor_usable(client, session):
    sign_in(client, "sup.ac")
    post(client, "/views", {"list": "cases", "name": "Mine only", "query": "status=closed"})
    view = session.scalar(select(SavedView).where(SavedView.name == "Mine only"))
    assert view is not None
    sign_in(client, "ssdm.ac")
    assert "Mine only" not in client.get("/cases/").get_data(as_text=True)
    assert client.get(f"/cases/?view={view.id}").status_code == 404
    assert post(client, f"/views/{view.id}/delete").status_code == 404
    assert post(client, "/views", {"list": "nonsense", "name": "X", "query": "a=b"}).status_code == 404
    assert session.get(SavedView, view.id) is not None


def test_claiming_several_from_the_inbox_says_how_many_were_taken(client, session, process_engine):
    tasks = [open_task(session, open_case(session, process_engine, id_number=f"Y{n:07d}")) for n in range(3)]
    session.commit()
    sign_in(client, "ssdm.ac")
    inbox = client.get("/").get_data(as_text=True)
    assert 'form="claim-selected"' in inbox and "Claim selected" in inbox
    post(client, f"/tasks/{tasks[2].id}/claim")
    token = csrf_token(client, "/")
    response = client.post(
        "/inbox/claim",
        data={"csrf_token": token, "task_id": [str(t.id) for t in tasks] + ["junk"], "back": "sla=nonsense"},
        follow_redirects=True,
    )
    assert "2 claimed, 1 already taken" in response.get_data(as_text=True)
    session.expire_all()
    assert {
        t.assignee_id for t in session.scalars(select(Task).where(Task.id.in_([t.id for t in tasks])))
    } == {user(session, "ssdm.ac").id}
    nothing = post(client, "/inbox/claim", {}, follow_redirects=True).get_data(as_text=True)
    assert "Tick at least one row first." in nothing
    sign_in(client, "ssdm.ac", locale="km")
    again = post(client, "/inbox/claim", {"task_id": str(tasks[0].id)}, follow_redirects=True)
    assert "បានទទួលយក ០, ១ មានអ្នកទទួលយករួចហើយ" in again.get_data(as_text=True)  # Khmer digits


def test_the_supervisor_reassigns_several_tasks_at_risk_at_once(client, session, process_engine):
    tasks = [open_task(session, open_case(session, process_engine, id_number=f"Z{n:07d}")) for n in range(2)]
    now = utcnow()
    for task in tasks:
        task.due_at, task.at_risk_at = now - timedelta(hours=1), now - timedelta(days=1)
    session.commit()
    sign_in(client, "sup.ac")
    page = client.get("/sla/watch?sla=breached").get_data(as_text=True)
    assert 'form="reassign-selected"' in page and _rows(page, "data-task") == 2
    officer = user(session, "ssdm.ac")
    response = post(
        client,
        "/sla/watch/reassign",
        {"task_id": [str(t.id) for t in tasks], "assignee_id": str(officer.id), "back": "sla=breached"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sla/watch?sla=breached")
    assert "2 reassigned" in client.get("/sla/watch").get_data(as_text=True)
    session.expire_all()
    assert [session.get(Task, t.id).assignee_id for t in tasks] == [officer.id, officer.id]
    sign_in(client, "ssdm.ac")
    refused = post(
        client, "/sla/watch/reassign", {"task_id": str(tasks[0].id), "assignee_id": str(officer.id)}
    )
    assert refused.status_code == 302  # the page itself is a supervisor's; the service refused each task
    assert "1 not done: Only a supervisor can reassign a task." in client.get("/").get_data(as_text=True)


def test_the_commune_assistant_marks_several_letters_delivered(client, session, process_engine):
    for n in range(2):
        open_case(session, process_engine, id_number=f"V{n:07d}")
    drain_jobs(session)
    session.commit()
    letters = list(session.scalars(select(Letter).order_by(Letter.id)))
    sign_in(client, "ca.charchhuk")
    page = client.get("/letters/?delivery=waiting").get_data(as_text=True)
    assert _rows(page, "data-letter") == 2 and 'form="deliver-selected"' in page
    day = max(letter.issued_on for letter in letters).isoformat()
    response = post(
        client,
        "/letters/delivered",
        {"letter_id": [str(letter.id) for letter in letters], "on": day, "how": "village_chief"},
        follow_redirects=True,
    )
    assert "2 marked as delivered" in response.get_data(as_text=True)
    assert _rows(client.get("/letters/?delivery=waiting").get_data(as_text=True), "data-letter") == 0
    bad = post(client, "/letters/delivered", {"letter_id": str(letters[0].id), "on": "x", "how": "post"})
    assert bad.status_code == 302
    sign_in(client, "vdc.charchhuk")
    assert client.get("/letters/").status_code == 403


@pytest.mark.parametrize("path", LIST_PAGES)
def test_every_list_page_is_in_khmer(client, path):
    sign_in(client, "sup.ac", locale="km")
    page = client.get(path)
    if path == "/letters/":
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "ទិដ្ឋភាពរបស់ខ្ញុំ" in text and "My views" not in text and "Clear filters" not in text
