"""Rehearsing a migration on a fresh database of the run's kind: a SQLite file, or a new database of the run's
PostgreSQL server, upgraded to a chosen revision."""

from pathlib import Path

import sqlalchemy as sa
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


def stamps_after(url: str, *statements: str) -> dict[str, int]:
    """The reference stamps' counters after running `statements` (plain SQL) in one transaction."""
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
        found = {
            name: counter for name, counter in connection.execute(sa.text("SELECT * FROM reference_stamp"))
        }
    engine.dispose()
    return found
