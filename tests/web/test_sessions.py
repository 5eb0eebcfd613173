"""A session ends at sign-out, at a password change, after 30 idle minutes and after its absolute lifetime."""

import time

from tests.web.helpers import csrf_token, post, sign_in
from webapp.services.assembly.seed import DEMO_PASSWORD
from webapp.web.sessions import SEEN_AT, SIGNED_IN_AT


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_copied_session_cookie_is_dead_after_sign_out(client):
    sign_in(client, "ssdm.ac")
    stolen = client.get_cookie("session").value
    assert post(client, "/sign-out").status_code == 302
    client.set_cookie("session", stolen)
    assert not _signed_in(client)


def test_sign_out_ends_the_same_officers_session_on_another_device(app, client):
    other = app.test_client()
    sign_in(client, "iso.ac")
    sign_in(other, "iso.ac")
    assert _signed_in(other)
    post(client, "/sign-out")
    assert not _signed_in(other)


def test_thirty_idle_minutes_sign_the_officer_out(client):
    sign_in(client, "ssdm.ac")
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_activity_keeps_the_session_alive(client):
    sign_in(client, "ssdm.ac")
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - 29 * 60
    assert _signed_in(client)
    with client.session_transaction() as session:
        assert session[SEEN_AT] >= int(time.time()) - 5


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(client):
    sign_in(client, "ssdm.ac")
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - 13 * 3600
    assert not _signed_in(client)


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client):
    other = app.test_client()
    sign_in(other, "bo.health.ac")
    sign_in(client, "bo.health.ac")
    response = client.post(
        "/password",
        data={
            "current": DEMO_PASSWORD,
            "password": "a-much-longer-secret",
            "csrf_token": csrf_token(client, "/password"),
        },
    )
    assert response.status_code == 302
    assert _signed_in(client) and not _signed_in(other)


def test_a_new_password_must_be_long_and_not_the_username(client):
    sign_in(client, "bo.health.ss")
    for password, message in (
        ("short", "Use at least 10 characters."),
        ("my-bo.health.ss-pass", "The password must not contain the username."),
    ):
        response = client.post(
            "/password",
            data={
                "current": DEMO_PASSWORD,
                "password": password,
                "csrf_token": csrf_token(client, "/password"),
            },
        )
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    wrong = client.post(
        "/password",
        data={
            "current": "nope",
            "password": "long-enough-pass",
            "csrf_token": csrf_token(client, "/password"),
        },
    )
    assert wrong.status_code == 422 and "The current password is not right." in wrong.get_data(as_text=True)
