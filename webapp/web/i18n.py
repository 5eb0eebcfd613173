"""Languages: the user's choice, then the cookie, then the browser decides; Khmer by default."""

from typing import Any
from urllib.parse import urlsplit

from babel.support import NullTranslations
from flask import Blueprint, Flask, current_app, g, has_app_context, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

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


def request_catalog() -> NullTranslations:
    """The catalog of the locale in force, found through Flask-Babel once per request, not once per message:
    a page such as the inbox shows hundreds of messages, and Flask-Babel looks the locale and its catalog up
    again for each. Found again whenever the locale changes (`force_locale`, `refresh`)."""
    if not has_app_context():
        return get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:  # Flask-Babel has not chosen yet this request: it chooses now, the next call keeps it
        return get_translations()
    kept = getattr(state, "sala_catalog", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    catalog = get_translations()
    state.sala_catalog = (locale, catalog)
    return catalog


def gettext(message: str, **variables: Any) -> str:
    """Flask-Babel's `gettext` through the request's kept catalog (Python code that labels many values)."""
    text = request_catalog().ugettext(message)
    return text % variables if variables else text


@pass_context
def template_gettext(context: Context, message: str, **variables: Any) -> str:
    """Templates' `_()`: what Jinja's i18n extension does (escape-aware, always %-formatted), in one call."""
    if context.eval_ctx.autoescape:
        return markup_gettext(message, **variables)
    text = request_catalog().ugettext(message)
    return text % variables if variables or "%" in text else text


def markup_gettext(message: str, **variables: Any) -> Markup:
    """`_()` of an HTML template in Python: the translation is markup, the variables are escaped into it."""
    text = Markup(request_catalog().ugettext(message))  # noqa: S704 - a translator's message, as Jinja marks it
    return text % variables if variables or "%" in text else text


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: request_catalog().ugettext(message),
        ngettext=lambda singular, plural, n: request_catalog().ungettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)

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
