"""What one running app holds: settings, database, engine and forms; and the request's database session."""

from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from webapp.engine import ProcessEngine
from webapp.forms import FormSpec
from webapp.settings import Settings


@dataclass
class Runtime:  # mutable so the tests can bind the session factory to a rolled-back connection
    settings: Settings
    db_engine: Engine
    session_factory: sessionmaker[Session]
    process_engine: ProcessEngine
    forms: dict[str, FormSpec]


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
