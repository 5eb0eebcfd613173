"""Database engine and session factory built from a URL; no Flask here."""

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: object) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _begin_before_savepoint)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


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
