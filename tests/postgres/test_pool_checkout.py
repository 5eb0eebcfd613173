"""The pool checks a connection at checkout without a round trip, and still replaces one the server closed."""

import os
import selectors
import tempfile
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from webapp.db import make_engine


@pytest.fixture
def pool_of_one(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.pg_backend_pid()))  # type: ignore[return-value]


def _sent_at_checkout(engine: Engine) -> list[str]:
    """The messages libpq sends to the server while the pool hands out its idle connection."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        pgconn = connection.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    with tempfile.TemporaryFile() as trace:
        pgconn.trace(os.dup(trace.fileno()))
        with engine.connect() as again:
            reused = again.connection.dbapi_connection.pgconn  # type: ignore[union-attr]
        pgconn.untrace()  # flushes the trace
        assert reused is pgconn  # the traced connection is the one handed out
        trace.seek(0)
        return [line for line in trace.read().decode().splitlines() if "\tF\t" in line]


def test_a_healthy_pooled_connection_is_checked_out_without_a_message_to_the_server(database_url: str):
    pinged = make_engine(database_url, pool_size=1, pool_pre_ping=True)
    sala = make_engine(database_url, pool_size=1)
    try:
        assert _sent_at_checkout(pinged)  # the trace sees a pre-ping, so it would see a check that makes one
        assert _sent_at_checkout(sala) == []
    finally:
        pinged.dispose()
        sala.dispose()


def test_a_pooled_connection_whose_backend_was_terminated_is_replaced_at_checkout(
    pool_of_one: Engine, db_engine: Engine
):
    terminated = _backend(pool_of_one)
    with db_engine.connect() as other:
        # With a timeout the call returns once the backend has sent its FATAL error and exited.
        assert other.scalar(select(func.pg_terminate_backend(terminated, 5000)))

    with Session(pool_of_one) as session:
        assert session.scalar(select(func.pg_backend_pid())) != terminated


def test_a_pooled_connection_with_a_notification_waiting_is_pinged_and_kept(
    pool_of_one: Engine, db_engine: Engine
):
    with pool_of_one.connect() as connection:
        connection.execute(text("LISTEN sala_pool_probe"))
        connection.commit()
        listener = connection.connection.dbapi_connection.pgconn.socket  # type: ignore[union-attr]
        backend = connection.scalar(select(func.pg_backend_pid()))
    with db_engine.connect() as other:
        other.execute(text("NOTIFY sala_pool_probe"))
        other.commit()
    with selectors.DefaultSelector() as selector:
        selector.register(listener, selectors.EVENT_READ)
        assert selector.select(timeout=10)  # the notification reached the idle pooled connection's socket

    assert _backend(pool_of_one) == backend
