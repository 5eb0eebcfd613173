"""The rows of the task and case lists, written in Python (web/rows.py, web/cells.py): what officers typed is
escaped as the templates escaped it, and the rows follow the reader's language."""

import re
from datetime import timedelta
from types import SimpleNamespace

from tests.factories import open_case, open_task, user
from tests.web.helpers import sign_in
from webapp.domain.base import utcnow
from webapp.web.rows import watch_rows

NAME = '<b>"Sok" & Dara</b>'
ESCAPED = "&lt;b&gt;&#34;Sok&#34; &amp; Dara&lt;/b&gt;"


def _case_with_a_marked_up_name(session, process_engine):  # type: ignore[no-untyped-def]
    case = open_case(session, process_engine)
    case.person.name_latin = NAME
    session.commit()
    return case


def test_case_list_rows_escape_the_applicant_name(client, session, process_engine):
    case = _case_with_a_marked_up_name(session, process_engine)
    sign_in(client, "ssdm.ac")
    page = client.get("/cases/").get_data(as_text=True)
    row = page.split(f'data-case="{case.id}"', 1)[1].split("</tr>", 1)[0]
    assert f'<span class="muted">({ESCAPED})</span>' in row and NAME not in page
    assert f'<a href="/cases/{case.id}">{case.reference}</a>' in row


def test_inbox_rows_escape_the_applicant_name_and_link_the_task(client, session, process_engine):
    case = _case_with_a_marked_up_name(session, process_engine)
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    page = client.get("/").get_data(as_text=True)
    row = page.split(f'data-task="{task.id}"', 1)[1].split("</tr>", 1)[0]
    assert ESCAPED in row and NAME not in page
    assert f'aria-label="Select {case.reference}"' in row
    assert f'<a href="/tasks/{task.id}">' in row and 'data-sla="on_track"' in row


def test_inbox_rows_in_khmer_show_khmer_digits_and_labels(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac", locale="km")
    page = client.get("/").get_data(as_text=True)
    row = page.split(f'data-task="{task.id}"', 1)[1].split("</tr>", 1)[0]
    due = re.search(r"<time[^>]*>([^<]+)</time>", row)
    assert due is not None and not re.search(r"[0-9]", due.group(1))
    assert 'data-label="Due"' not in row and ">Claim<" not in row


def test_deadline_rows_choose_the_holder_among_the_officers_and_escape_their_names(
    client, session, process_engine
):
    task = open_task(session, open_case(session, process_engine))
    officer = user(session, "ssdm.ac")
    officer.full_name = "<i>Sokha</i> & co"
    task.assignee_id = officer.id
    task.due_at, task.at_risk_at = utcnow() - timedelta(hours=1), utcnow() - timedelta(days=1)
    session.commit()
    sign_in(client, "sup.ac")
    page = client.get("/sla/watch?sla=breached").get_data(as_text=True)
    row = page.split(f'<tr data-task="{task.id}">', 1)[1].split("</tr>", 1)[0]
    assert f'<option value="{officer.id}" selected>&lt;i&gt;Sokha&lt;/i&gt; &amp; co (ssdm.ac, ' in row
    assert 'data-sla="breached"' in row and "<i>Sokha</i>" not in page


def test_a_deadline_row_without_another_officer_says_so(app, client):
    case = SimpleNamespace(id=3, reference="APP<1>", person=None, programme=None, process_id="grievance")
    task = SimpleNamespace(id=7, case=case, name="Check the documents", due_at=None, assignee=None)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        html = str(watch_rows([task], {}, {task.id: []}))
    assert '<td data-label="Select"></td>' in html and "APP&lt;1&gt;</a>" in html
    assert (
        '<td data-label="Reassign to">\n      <span class="muted">No other officer</span>\n    </td>' in html
    )
