"""Shared fixtures: one bootstrapped database per run (SQLite, or PostgreSQL when SALA_TEST_DB=postgresql),
one app, and a transaction per test that is rolled back at its end."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from webapp.app import create_app
from webapp.db import make_engine
from webapp.engine import ProcessEngine
from webapp.services.assembly import bootstrap, install
from webapp.services.assembly.seed import seed_demo_users
from webapp.services.deadlines.calendars import create_process_engine
from webapp.settings import Settings

# Siem Reap, where the pilot districts live; Phnom Penh and Kep for the other NSSF offices. Few provinces keep
# set-up quick.
TEST_PROVINCES = ("17", "12", "23")


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("SALA_TEST_DB") == "postgresql":
        from tests.pg_server import start_postgres

        server = start_postgres()
        try:
            yield server.url
        finally:
            server.stop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'sala.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def process_engine() -> ProcessEngine:
    return create_process_engine()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret",
        instance_path=tmp_path_factory.mktemp("instance"),
        testing=True,
    )


@pytest.fixture(scope="session")
def db_engine(settings: Settings, process_engine: ProcessEngine) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    install()
    bootstrap.migrate(engine)
    with Session(engine) as session, session.begin():
        bootstrap.load_reference_data(session, settings, provinces=TEST_PROVINCES)
        bootstrap.deploy_workflows(session, process_engine, settings.workflows_dir)
        seed_demo_users(session)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(db_engine: Engine) -> Iterator[Connection]:
    with db_engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """The test's session: what it (or the app) commits is a savepoint of a transaction rolled back later."""
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings, db_engine: Engine) -> Flask:
    return create_app(settings)


@pytest.fixture
def client(app: Flask, connection: Connection, session: Session) -> Iterator[FlaskClient]:
    runtime = app.extensions["sala"]
    original = runtime.session_factory
    runtime.session_factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield app.test_client()
    finally:
        runtime.session_factory = original


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"
