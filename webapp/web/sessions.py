"""What keeps a signed-in session honest: the user's session version, an idle timeout and an absolute lifetime
(all checked on every request by Flask-Login's user loader), a forced password change, and `no-store` on
every page that may carry personal data."""

import time
from typing import Any

from flask import Flask, Response, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from webapp.domain.people import User
from webapp.web.runtime import runtime

VERSION, SIGNED_IN_AT, SEEN_AT = "_sala_sv", "_sala_t0", "_sala_seen"
SEEN_RESOLUTION = 30  # seconds: the last-seen time is rewritten at most this often, not on every request
# Where an officer who must change their password may still go.
OPEN_WHILE_CHANGING = {"auth.change_password", "auth.sign_out", "i18n.switch_language", "static"}


def start(user: User) -> None:
    now = int(time.time())
    session[VERSION], session[SIGNED_IN_AT], session[SEEN_AT] = user.session_version, now, now


def forget() -> None:
    for key in (VERSION, SIGNED_IN_AT, SEEN_AT):
        session.pop(key, None)


def still_valid(user: User) -> bool:
    """The session was signed with the user's current version and is neither idle nor too old."""
    settings = runtime().settings
    now = int(time.time())
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if session.get(VERSION) != user.session_version or not isinstance(signed_in, int):
        return False
    if not isinstance(seen, int) or now - seen > settings.session_idle_minutes * 60:
        return False
    if now - signed_in > settings.session_max_hours * 3600:
        return False
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return True


def init_app(app: Flask) -> None:
    settings = runtime_settings(app)
    app.permanent_session_lifetime = settings.session_max_hours * 3600
    app.before_request(_require_password_change)
    app.after_request(_no_store)


def runtime_settings(app: Flask) -> Any:
    return app.extensions["sala"].settings


def _require_password_change() -> ResponseReturnValue | None:
    if request.endpoint in OPEN_WHILE_CHANGING or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def _no_store(response: Response) -> Response:
    """Pages of a signed-in officer, and every page that is not a static file, stay out of caches."""
    if request.endpoint != "static" or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    return response
