"""Helpers for driving Sala's pages through Flask's test client, CSRF included."""

import re

from flask.testing import FlaskClient

from webapp.services.assembly.seed import DEMO_PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, *, locale: str = "en") -> None:
    with client.session_transaction() as session:
        session.clear()  # signs out whoever was signed in before
    client.set_cookie("sala_lang", locale)
    response = client.post(
        "/sign-in", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def post(client: FlaskClient, path: str, data: dict | None = None, **kwargs):
    """POSTs with the session's CSRF token, as the browser's form would."""
    payload = {"csrf_token": csrf_token(client, "/"), **(data or {})}
    return client.post(path, data=payload, **kwargs)
