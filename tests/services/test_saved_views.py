"""Saved views: an officer keeps a list's filters and sort under a name; the stored query is parsed again
when applied; nobody else sees or uses the view."""

import pytest

from tests.factories import user
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.views import SavedView
from webapp.services.casework.queries import CASE_LIST, INBOX_LIST
from webapp.services.casework.saved_views import apply_view, delete_view, save_view, views_of


def test_an_officer_saves_applies_and_deletes_a_view(session):
    officer = user(session, "sup.ac")
    view = save_view(
        session,
        user=officer,
        spec=CASE_LIST,
        name=" Open in Dounpeng ",
        query="status=open&commune=170102&x=1",
    )
    assert (view.name, view.query) == ("Open in Dounpeng", "commune=170102&status=open")
    assert [v.id for v in views_of(session, user=officer, spec=CASE_LIST)] == [view.id]
    assert views_of(session, user=officer, spec=INBOX_LIST) == []
    _, listing = apply_view(session, user=officer, view_id=view.id, spec=CASE_LIST)
    assert listing.args() == {"commune": "170102", "status": "open"}
    delete_view(session, user=officer, view_id=view.id)
    assert views_of(session, user=officer, spec=CASE_LIST) == []


def test_saving_under_the_same_name_replaces_the_view(session):
    officer = user(session, "sup.ac")
    first = save_view(session, user=officer, spec=CASE_LIST, name="Mine", query="status=open")
    again = save_view(session, user=officer, spec=CASE_LIST, name="Mine", query="status=closed")
    assert again.id == first.id and again.query == "status=closed"


def test_a_stored_query_is_never_trusted_when_applied(session):
    officer = user(session, "sup.ac")
    view = save_view(session, user=officer, spec=CASE_LIST, name="Tampered", query="status=open")
    view.query = "status=open' OR 1=1&commune=170101&sort=id;drop"
    session.flush()
    _, listing = apply_view(session, user=officer, view_id=view.id, spec=CASE_LIST)
    assert listing.args() == {"commune": "170101"}
    assert set(listing.refused) == {"status", "sort"}


def test_someone_elses_view_is_neither_listed_nor_usable(session):
    owner, other = user(session, "sup.ac"), user(session, "ssdm.ac")
    view = save_view(session, user=owner, spec=CASE_LIST, name="Private", query="status=open")
    assert views_of(session, user=other, spec=CASE_LIST) == []
    with pytest.raises(NotFound):
        apply_view(session, user=other, view_id=view.id, spec=CASE_LIST)
    with pytest.raises(NotFound):
        delete_view(session, user=other, view_id=view.id)
    with pytest.raises(NotFound):  # a view of another list is not this list's
        apply_view(session, user=owner, view_id=view.id, spec=INBOX_LIST)
    assert session.get(SavedView, view.id) is not None


@pytest.mark.parametrize(
    ("name", "query"), [("", "status=open"), ("x" * 61, "status=open"), ("Nothing", "status=nonsense")]
)
def test_a_view_needs_a_short_name_and_some_filter(session, name, query):
    with pytest.raises(InvalidInput):
        save_view(session, user=user(session, "sup.ac"), spec=CASE_LIST, name=name, query=query)


def test_an_officer_keeps_at_most_twenty_views_of_a_list(session):
    officer = user(session, "sup.ac")
    for n in range(20):
        save_view(session, user=officer, spec=CASE_LIST, name=f"View {n}", query="status=open")
    with pytest.raises(InvalidInput):
        save_view(session, user=officer, spec=CASE_LIST, name="One more", query="status=open")
