"""Database engine and session factory built from a URL; no Flask here."""

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


def make_engine(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None, **kwargs: object
) -> Engine:
    """SQLite gets its pragmas; PostgreSQL a pre-pinged pool (a restarted server's dead connections are
    replaced on checkout) of `pool_size` + `max_overflow` connections (SQLAlchemy's 5 + 10 when not given)."""
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
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **{**pool, **kwargs})


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
