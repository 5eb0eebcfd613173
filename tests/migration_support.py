"""Rehearsing a migration on a fresh database of the run's kind: a SQLite file, or a new database of the run's
PostgreSQL server, upgraded to a chosen revision."""

from pathlib import Path

from alembic import command

from webapp.db import make_engine
from webapp.services.assembly.bootstrap import alembic_config


def fresh_database_url(database_url: str, tmp_path: Path, name: str) -> str:
    """An empty database called `name` beside the run's (one name per test module: xdist workers share a
    PostgreSQL server)."""
    if database_url.startswith("postgresql"):
        from tests.pg_server import PostgresServer

        return PostgresServer(url=database_url).create_database(name)
    return f"sqlite:///{tmp_path / (name + '.sqlite3')}"


def upgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()
