"""Each page says in one line what it is for, in the reader's language, and an empty list says why it is empty
and what fills it."""

import pytest

from tests.web.helpers import sign_in

HELP = '<p class="page-help" id="page-help">'


@pytest.mark.parametrize(
    ("username", "path", "words"),
    [
        ("vdc.charchhuk", "/", "claim a task from the shared list"),
        ("ca.charchhuk", "/cases/", "open one to see its tasks, letters and history"),
        ("sup.ac", "/sla/watch", "reassign them so that nothing waits"),
        ("cwcc.ac", "/committee/", "then open it to record its decisions"),
        ("admin", "/admin/users", "create one, or open one"),
    ],
)
def test_a_page_says_what_it_is_for(client, username, path, words):
    sign_in(client, username)
    page = client.get(path).get_data(as_text=True)
    assert HELP in page and words in page.split(HELP, 1)[1].split("</p>", 1)[0]


def test_the_help_line_is_in_khmer_for_a_khmer_reader(client):
    sign_in(client, "vdc.charchhuk", locale="km")
    page = client.get("/").get_data(as_text=True)
    assert HELP + "ការងាររបស់អ្នកសម្រាប់ថ្ងៃនេះ" in page


def test_an_empty_inbox_says_why_and_what_fills_it(client):
    sign_in(client, "bo.labour.ss")
    page = client.get("/").get_data(as_text=True)
    assert "No task waits for you: claim one below" in page
    assert "appear here when they reach a step of your role" in page


def test_an_empty_grievance_list_and_meeting_list_say_what_fills_them(client):
    sign_in(client, "cwcc.ss")
    assert "when an officer records one or a person files one online" in client.get("/grievances/").get_data(
        as_text=True
    )
    assert "schedule the first one above" in client.get("/committee/").get_data(as_text=True)
