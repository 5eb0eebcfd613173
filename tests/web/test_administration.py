"""Administrators manage officers from the browser; every act is audited; a reset password must be changed;
deactivation ends sessions and returns the officer's tasks to the shared list."""

import csv
import io

from sqlalchemy import select

from tests.factories import open_case, open_task, user
from tests.web.helpers import csrf_token, post, sign_in
from webapp.domain.history import CaseEvent
from webapp.domain.people import User
from webapp.services.casework.tasks import claim_task

NEW = {
    "username": "ca.kokchak",
    "full_name": "Sok Pisey",
    "role": "commune_assistant",
    "area_code": "170302",
    "password": "first-time-pass",
}


def _create(client, session, **overrides):
    sign_in(client, "admin")
    response = post(client, "/admin/users/new", NEW | overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return session.scalar(select(User).where(User.username == (NEW | overrides)["username"]))


def _sign_in_with(client, username, password):
    with client.session_transaction() as session:
        session.clear()
    client.set_cookie("sala_lang", "en")
    return client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": csrf_token(client)}
    )


def test_only_administrators_reach_the_administration_pages(client):
    for username in ("sup.ac", "ca.charchhuk", "hotline"):
        sign_in(client, username)
        for url in ("/admin/users", "/admin/users/new", "/admin/audit"):
            assert client.get(url).status_code == 404, (username, url)
    sign_in(client, "admin")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' in page


def test_a_new_officer_must_change_the_password_first_then_works(client, session):
    created = _create(client, session)
    assert created.must_change_password and created.area_code == "170302"
    assert _sign_in_with(client, "ca.kokchak", "first-time-pass").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/password")
    response = client.post(
        "/password",
        data={
            "current": "first-time-pass",
            "password": "my-own-secret",
            "csrf_token": csrf_token(client, "/password"),
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_the_area_must_match_the_role_and_the_username_be_free(client, session):
    sign_in(client, "admin")
    wrong_level = post(client, "/admin/users/new", NEW | {"area_code": "1703"})
    assert (
        wrong_level.status_code == 422
        and "Choose an area at the level of this role." in wrong_level.get_data(as_text=True)
    )
    taken = post(client, "/admin/users/new", NEW | {"username": "ssdm.ac"})
    assert taken.status_code == 422 and "This username is taken." in taken.get_data(as_text=True)
    weak = post(client, "/admin/users/new", NEW | {"password": "short"})
    assert weak.status_code == 422


def test_a_reset_password_ends_sessions_and_must_be_changed(app, client, session):
    other = app.test_client()
    sign_in(other, "iso.ss")
    sign_in(client, "admin")
    target = user(session, "iso.ss")
    assert (
        post(client, f"/admin/users/{target.id}/password", {"password": "temporary-pass"}).status_code == 302
    )
    assert other.get("/").status_code == 302
    assert _sign_in_with(other, "iso.ss", "temporary-pass").status_code == 302
    assert other.get("/cases/").headers["Location"].endswith("/password")


def test_deactivation_ends_sessions_and_returns_claimed_tasks(app, client, session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))
    session.commit()
    officer = app.test_client()
    sign_in(officer, "ssdm.ac")
    sign_in(client, "admin")
    target = user(session, "ssdm.ac")
    assert post(client, f"/admin/users/{target.id}/deactivate").status_code == 302
    session.expire_all()
    assert task.assignee_id is None
    released = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == task.case_id, CaseEvent.kind == "task_released")
    ).all()
    assert released and released[-1].actor_id == user(session, "admin").id
    assert officer.get("/").status_code == 302
    assert _sign_in_with(officer, "ssdm.ac", "sala-demo").status_code == 401


def test_the_audit_page_lists_user_administration_with_filters_and_a_safe_csv(client, session):
    _create(client, session, full_name='=HYPERLINK("http://x")')
    page = client.get("/admin/audit?area=users&actor=admin").get_data(as_text=True)
    assert 'data-kind="user_created"' in page and "ca.kokchak" in page
    assert 'data-kind="user_created"' not in client.get("/admin/audit?area=calendars").get_data(as_text=True)
    assert 'data-kind="user_created"' not in client.get("/admin/audit?actor=nobody").get_data(as_text=True)
    exported = client.get("/admin/audit?area=users&format=csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["at", "area", "kind", "actor", "subject"]
    assert any(row[2] == "user_created" and row[4] == "ca.kokchak" for row in rows[1:])
    assert client.get("/admin/audit?since=9999-99-99&until=nonsense&page=-1").status_code == 200
