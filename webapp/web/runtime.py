"""The running app's Runtime and the request's database session, for views."""

from flask import current_app, g
from sqlalchemy.orm import Session

from webapp.runtime import Runtime


def runtime() -> Runtime:
    value: Runtime = current_app.extensions["sala"]
    return value


def db() -> Session:
    """The request's session: one transaction per request, committed once by the view."""
    if "db" not in g:
        g.db = runtime().session_factory()
    session: Session = g.db
    return session


def close_db(_error: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()
