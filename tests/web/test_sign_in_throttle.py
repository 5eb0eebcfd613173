"""Guessing passwords is slowed per account and address, without locking a real officer out."""

import contextlib
from datetime import timedelta

import pytest

from tests.web.helpers import csrf_token
from webapp.domain.base import utcnow
from webapp.services.assembly.seed import DEMO_PASSWORD
from webapp.services.platform.auth import SignInFailed, authenticate
from webapp.services.platform.throttle import TooManyAttempts


def _attempt(client, username, password, address):
    client.set_cookie("sala_lang", "en")
    token = csrf_token(client)
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_a_wait(client):
    statuses = [_attempt(client, "ssdm.ac", f"guess-{n}", "10.9.0.1").status_code for n in range(30)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    response = _attempt(client, "ssdm.ac", DEMO_PASSWORD, "10.9.0.1")
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "Too many attempts. Try again in 1 minute(s)." in page
    assert client.get("/").status_code == 302  # not signed in


def test_the_wait_message_is_translated(client):
    for n in range(6):
        client.post(
            "/sign-in",
            data={"username": "ssdm.ac", "password": f"x{n}", "csrf_token": csrf_token(client)},
            environ_base={"REMOTE_ADDR": "10.9.0.7"},
        )
    response = client.post(
        "/sign-in",
        data={"username": "ssdm.ac", "password": "x", "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": "10.9.0.7"},
    )
    assert response.status_code == 429 and "Too many attempts" not in response.get_data(as_text=True)


def test_failures_from_other_addresses_do_not_block_a_known_address(client):
    assert _attempt(client, "ssdm.ac", DEMO_PASSWORD, "10.9.0.2").status_code == 302
    with client.session_transaction() as session:
        session.clear()
    for n in range(40):
        _attempt(client, "ssdm.ac", f"guess-{n}", f"10.8.{n}.1")
    assert _attempt(client, "ssdm.ac", DEMO_PASSWORD, "10.9.0.2").status_code == 302


def test_the_wait_ends(session):
    now = utcnow()
    for _n in range(5):
        with pytest.raises(SignInFailed):
            authenticate(session, username="iso.ac", password="bad", client="10.7.0.1", now=now)
    with pytest.raises(TooManyAttempts):
        authenticate(session, username="iso.ac", password=DEMO_PASSWORD, client="10.7.0.1", now=now)
    later = now + timedelta(seconds=31)
    assert authenticate(session, username="iso.ac", password=DEMO_PASSWORD, client="10.7.0.1", now=later)


def test_the_wait_doubles(session):
    now = utcnow()
    for _n in range(7):
        with contextlib.suppress(SignInFailed, TooManyAttempts):
            authenticate(session, username="iso.ss", password="bad", client="10.7.0.3", now=now)
    # only five were checked and recorded: the sixth and seventh waited; after the first wait a sixth failure
    with pytest.raises(SignInFailed):
        authenticate(
            session, username="iso.ss", password="bad", client="10.7.0.3", now=now + timedelta(seconds=31)
        )
    with pytest.raises(TooManyAttempts) as refused:
        authenticate(
            session, username="iso.ss", password="bad", client="10.7.0.3", now=now + timedelta(seconds=32)
        )
    assert timedelta(seconds=55) < refused.value.wait <= timedelta(seconds=60)


def test_an_attacked_account_is_only_slowed_for_a_new_address(session):
    now = utcnow()
    for n in range(40):
        with contextlib.suppress(SignInFailed, TooManyAttempts):
            authenticate(session, username="sup.ac", password="bad", client=f"10.6.{n}.1", now=now)
    with pytest.raises(TooManyAttempts) as refused:
        authenticate(session, username="sup.ac", password=DEMO_PASSWORD, client="10.5.0.1", now=now)
    assert refused.value.wait <= timedelta(minutes=2)
    later = now + timedelta(minutes=2, seconds=1)
    assert authenticate(session, username="sup.ac", password=DEMO_PASSWORD, client="10.5.0.1", now=later)
