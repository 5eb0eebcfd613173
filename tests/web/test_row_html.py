"""The rows of the task and case lists, written in Python (web/rows.py, web/cells.py): what officers typed is
escaped as the templates escaped it, and the rows follow the reader's language."""

import re

from tests.factories import open_case, open_task
from tests.web.helpers import sign_in

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
