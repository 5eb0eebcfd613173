"""Database engine and session factory built from a URL; no Flask here."""

import select
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


def make_engine(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None, **kwargs: object
) -> Engine:
    """SQLite gets its pragmas; PostgreSQL a pool of `pool_size` + `max_overflow` connections (SQLAlchemy's
    5 + 10 when not given) whose connections a restarted server closed are replaced on checkout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _begin_before_savepoint)
        return engine
    pool: dict[str, object] = {"pool_timeout": 10}
    if pool_size is not None:
        pool["pool_size"] = pool_size
    if max_overflow is not None:
        pool["max_overflow"] = max_overflow
    connect_args = {"connect_timeout": 5}
    engine = create_engine(url, connect_args=connect_args, **{**pool, **kwargs})
    event.listen(engine, "checkout", _replace_if_closed_by_server)
    return engine


def _replace_if_closed_by_server(
    dbapi_connection: psycopg.Connection[Any], _record: object, _proxy: object
) -> None:
    """Checks a pooled connection without the round trip a pre-ping costs every transaction. A server that
    shuts down, or terminates a backend, sends its FATAL error and closes the socket, so an idle connection
    with something to read is suspect: it is pinged, and the pool connects afresh if the ping fails. A server
    gone without closing (a cut network) is found by the first statement instead, which empties the pool."""
    if dbapi_connection.closed or (_has_input(dbapi_connection) and not _answers(dbapi_connection)):
        raise DisconnectionError("the server closed this pooled connection")


def _has_input(dbapi_connection: psycopg.Connection[Any]) -> bool:
    try:
        socket = dbapi_connection.fileno()
    except psycopg.Error:
        return True
    poller = select.poll()  # poll, not select: a process with many files may number this socket over 1024
    poller.register(socket, select.POLLIN)  # a closed socket also reports POLLHUP / POLLERR
    return bool(poller.poll(0))


def _answers(dbapi_connection: psycopg.Connection[Any]) -> bool:
    """A socket can also be readable on a live connection (a NOTIFY, a setting the server reports after a
    reload, a TLS record): rare enough to settle with a real ping rather than a reconnection. The ping is an
    empty statement outside a transaction, as SQLAlchemy's own."""
    autocommit = dbapi_connection.autocommit
    try:
        dbapi_connection.autocommit = True
        dbapi_connection.execute(";")
    except psycopg.Error:
        return False
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit
    return True


def database_unavailable(error: BaseException) -> bool:
    """True when the error means the database cannot be reached (down, restarting, connection lost), not a
    bug or a constraint: callers wait and retry (the worker) or answer 503 (the pages)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OperationalError | InterfaceError):
        return not _sqlite_busy_or_schema(error)
    return False


def _sqlite_busy_or_schema(error: DBAPIError) -> bool:
    """SQLite reports a missing table as an OperationalError too: that one is a bug, not an outage."""
    text = str(error.orig)
    return "no such table" in text or "no such column" in text or "syntax error" in text


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL loses at most the last commits on power loss, and saves an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_before_savepoint(connection: Connection, _name: str | None) -> None:
    """pysqlite opens a transaction only before a write, and SQLite treats a SAVEPOINT outside a transaction
    as the transaction itself, so releasing it would commit. Opening the transaction first keeps a savepoint
    (the tests' per-test rollback, a job's sub-transaction) inside the caller's transaction."""
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
