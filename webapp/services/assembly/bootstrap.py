"""Brings a database to a usable state: migrations, workflow deployment, reference and demo data."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from webapp.db import make_engine
from webapp.domain.clock import local_today
from webapp.engine import ProcessEngine
from webapp.services.assembly.installed import install
from webapp.services.assembly.seed import seed_demo_cases, seed_demo_users, seed_programmes
from webapp.services.deadlines.calendars import create_process_engine
from webapp.services.platform.gazetteer import import_gazetteer
from webapp.services.processes.deployment import deploy_directory
from webapp.settings import PROJECT_ROOT, Settings

MIGRATIONS = PROJECT_ROOT / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Applies every pending migration on one connection, in one transaction."""
    with engine.begin() as connection:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def load_reference_data(session: Session, settings: Settings, *, provinces: tuple[str, ...] = ()) -> None:
    import_gazetteer(session, settings.gazetteer_dir, provinces=provinces)
    seed_programmes(session)


def deploy_workflows(session: Session, engine: ProcessEngine, directory: Path) -> None:
    deploy_directory(session, engine=engine, directory=directory)


def seed_demo(session: Session, engine: ProcessEngine) -> None:
    """Demo accounts and applications, only into a database that has none."""
    seed_demo_users(session)
    seed_demo_cases(session, engine=engine, today=local_today(), document=_demo_document())


def _demo_document() -> bytes:
    """A one-page PDF standing in for a scanned family book."""
    return (PROJECT_ROOT / "data" / "demo" / "family-book.pdf").read_bytes()


def bootstrap(settings: Settings, *, demo: bool = True, provinces: tuple[str, ...] = ()) -> None:
    """What `make run` does before serving, in one call: used by the CLI and the browser tests."""
    install()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    db_engine = make_engine(settings.database_url)
    try:
        migrate(db_engine)
        with Session(db_engine) as session, session.begin():
            load_reference_data(session, settings, provinces=provinces)
            engine = create_process_engine()
            deploy_workflows(session, engine, settings.workflows_dir)
            if demo:
                seed_demo(session, engine)
    finally:
        db_engine.dispose()
