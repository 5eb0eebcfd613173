"""Languages: the user's choice, then the cookie, then the browser decides; Khmer by default."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale
from flask_login import current_user

from webapp.web.runtime import db, runtime

bp = Blueprint("i18n", __name__)
COOKIE = "sala_lang"


def select_locale() -> str:
    supported = runtime().settings.locales
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return str(current_user.locale)
    chosen = request.cookies.get(COOKIE)
    if chosen in supported:
        return str(chosen)
    return request.accept_languages.best_match(supported) or runtime().settings.default_locale


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"current_locale": str(get_locale()), "locales": runtime().settings.locales}


@bp.post("/language")
def switch_language() -> ResponseReturnValue:
    chosen = request.form.get("locale", "")
    target = safe_next(request.form.get("next"))
    response = redirect(target)
    if chosen in runtime().settings.locales:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated:
            current_user.locale = chosen
            session = db()
            session.merge(current_user)
    return response


def safe_next(target: str | None) -> str:
    """Only local paths: a language switch or sign-in must never redirect to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
