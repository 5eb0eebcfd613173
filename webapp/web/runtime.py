"""The running app's Runtime and the request's unit of work: one session, committed once at the end."""

from datetime import date

from flask import Response, current_app, g, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from webapp.domain.errors import CaseChanged
from webapp.runtime import Runtime


def runtime() -> Runtime:
    value: Runtime = current_app.extensions["sala"]
    return value


def today() -> date:
    """Today in Cambodia on the app's clock: the default of date fields and the date on what is issued."""
    return runtime().clock.today()


def db() -> Session:
    """The request's session: one transaction per request, committed once by `finish_request`."""
    if "db" not in g:
        g.db = runtime().session_factory()
    session: Session = g.db
    return session


def discard() -> None:
    """The request was refused: what its services flushed is rolled back now and never committed."""
    g.refused = True
    if "db" in g:
        g.db.rollback()


def finish_request(response: Response) -> Response:
    """Commits the request's work once, unless it was refused; a concurrent change becomes a 409 page."""
    session = g.get("db")
    if session is None or g.get("refused"):
        return response
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        page = render_template("error.html", status=409, message=_(CaseChanged.message))
        return Response(page, status=409)
    return response


def close_db(_error: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()
