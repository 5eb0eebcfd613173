"""What one running app holds: settings, database, engine and forms (shared by web pages and commands)."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from webapp.domain.clock import SYSTEM_CLOCK, Clock
from webapp.forms import FormSpec
from webapp.services import ProcessEngine
from webapp.settings import Settings


@dataclass
class Runtime:  # mutable so the tests can bind the session factory to a rolled-back connection
    settings: Settings
    db_engine: Engine
    session_factory: sessionmaker[Session]
    process_engine: ProcessEngine
    forms: dict[str, FormSpec]
    clock: Clock = SYSTEM_CLOCK  # Cambodian days and months; tests may freeze it
