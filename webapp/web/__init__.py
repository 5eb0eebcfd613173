"""The web layer: blueprints, sign-in, languages, CSRF and error pages. Flask lives only here."""

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect

from webapp.domain.history import EVENT_KINDS
from webapp.web import (
    admin,
    api,
    areas,
    auth,
    cases,
    committees,
    errors,
    formatting,
    grievance_reports,
    grievances,
    i18n,
    inbox,
    letters,
    modeler,
    notifications,
    nssf,
    observability,
    operations,
    programme_catalogue,
    registry,
    registry_folder,
    registry_imports,
    registry_monitoring,
    registry_pages,
    sla,
    tasks,
)
from webapp.web.cells import cell_globals
from webapp.web.labels import event_details, label_globals
from webapp.web.navigation import nav_links
from webapp.web.params import IdConverter
from webapp.web.rows import row_globals
from webapp.web.runtime import close_db, finish_request, runtime
from webapp.web.text_input import CleanRequest


def register_web(app: Flask) -> None:
    # Before any route exists: every `<int:…>` is bounded, and every text input is cleaned on arrival.
    app.url_map.converters["int"] = IdConverter
    app.request_class = CleanRequest
    observability.init_app(app)  # first: its request line is logged last, after the commit, and times it
    app.after_request(finish_request)  # registered first, so it runs after every other after_request
    CSRFProtect(app)
    i18n.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    app.before_request(letters.set_public_url)
    app.teardown_appcontext(close_db)
    _template_helpers(app)
    app.after_request(_security_headers)


def _register_blueprints(app: Flask) -> None:
    """Every page and API of Sala, the core's first, then each family's."""
    for blueprint in (auth.bp, i18n.bp, inbox.bp, tasks.bp, cases.bp, modeler.bp, letters.bp, sla.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(grievances.bp)
    app.register_blueprint(committees.bp)
    app.register_blueprint(grievance_reports.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(observability.bp)
    app.register_blueprint(operations.bp)
    app.register_blueprint(areas.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(registry.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(programme_catalogue.bp)
    app.register_blueprint(registry_pages.bp)
    app.register_blueprint(registry_folder.bp)
    app.register_blueprint(nssf.bp)
    app.register_blueprint(registry_imports.bp)
    app.register_blueprint(registry_monitoring.bp)


def _template_helpers(app: Flask) -> None:
    """What every template may use: labels, letter and formatting helpers, the navigation, event details."""
    app.jinja_env.globals.update(
        label_globals(),
        **letters.template_globals(),
        **formatting.template_globals(),
        **cell_globals(),
        **row_globals(),
        EVENT_KINDS=EVENT_KINDS,
        nav_links=nav_links,
        event_details=lambda values: event_details(values, runtime().forms),
    )
    app.jinja_env.filters.update(formatting.template_filters())


def _security_headers(response: Response) -> Response:
    """No sniffing, no framing, same-origin referrers, and only Sala's own scripts and styles."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'",
    )
    return response
