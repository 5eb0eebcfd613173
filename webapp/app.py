"""create_app(settings): the one place that wires Sala together."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.db import make_engine, make_session_factory
from webapp.forms import load_forms
from webapp.logs import configure_logging
from webapp.runtime import Runtime
from webapp.services.assembly import install
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine, session_loader
from webapp.services.nssf.adapters import AdapterSettings
from webapp.services.nssf.adapters import configure as configure_nssf_adapters
from webapp.settings import Settings
from webapp.web import register_web


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, static_folder="static", template_folder="web/templates")
    if settings.proxy_hops:  # sign-in throttling and rate limits count the client's address, not the proxy's
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    _configure_flask(app, settings)
    install(settings)  # the process families, deadline and notification hooks, before anything runs a case
    configure_nssf_adapters(
        AdapterSettings(
            business_registry_url=settings.nssf_business_registry_url,
            national_id_url=settings.nssf_national_id_url,
            timeout_seconds=settings.nssf_service_timeout,
        )
    )
    if not settings.testing:  # the tests keep pytest's own log capture
        configure_logging(fmt=settings.log_format, level=settings.log_level)
    app.extensions["sala"] = _runtime(settings)
    register_web(app)
    from webapp.cli import (
        register_commands,  # the CLI sits beside web; imported here to keep one wiring place
    )

    register_commands(app)
    return app


def _configure_flask(app: Flask, settings: Settings) -> None:
    """Flask's own settings: secret, CSRF, upload cap, cookies and the Khmer/English catalogs."""
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        WTF_CSRF_ENABLED=settings.csrf_enabled,
        WTF_CSRF_TIME_LIMIT=None,  # officers keep a form open for hours; the token is tied to the session
        WTF_I18N_ENABLED=False,  # Sala's own messages carry the translations
        # Several documents per form: the per-file limit is checked in services, this only caps the request.
        MAX_CONTENT_LENGTH=settings.max_upload_bytes * 4 + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        BABEL_TRANSLATION_DIRECTORIES=str(settings.locales_dir),
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE="Asia/Phnom_Penh",
    )


def _runtime(settings: Settings) -> Runtime:
    """The database, the process engine and the forms every request and job shares."""
    db_engine = make_engine(settings.database_url, **settings.pool_options())
    session_factory = make_session_factory(db_engine)
    return Runtime(
        settings=settings,
        db_engine=db_engine,
        session_factory=session_factory,
        process_engine=create_process_engine(CalendarBook(loader=session_loader(session_factory))),
        forms=load_forms(settings.forms_dir),
    )
