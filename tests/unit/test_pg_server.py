"""The PostgreSQL test harness starts a real server, makes databases on it, and leaves nothing behind."""

import time

import psycopg
from sqlalchemy.engine import make_url

from tests.pg_server import PostgresServer, start_postgres


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))


def test_harness_starts_postgres_15_creates_a_database_and_cleans_up() -> None:
    began = time.perf_counter()
    server: PostgresServer = start_postgres()
    print(f"PostgreSQL started in {time.perf_counter() - began:.2f} s")
    try:
        assert make_url(server.url).database == "sala_test"
        with _connect(server.url) as connection:
            version = connection.execute("select version()").fetchone()
        assert version is not None and "PostgreSQL 15" in version[0]

        other = server.create_database("sala_second")
        assert make_url(other).database == "sala_second"
        with _connect(other) as connection:
            connection.execute("create table probe (text text)")
            connection.execute("insert into probe values ('សួស្តី')")
            assert connection.execute("select text from probe").fetchone() == ("សួស្តី",)
    finally:
        server.stop()

    if server.data_dir is not None:  # an external server (SALA_TEST_POSTGRES_URL) has no directory of ours
        assert not server.data_dir.exists()
        assert server.root is not None and not server.root.exists()
    server.stop()  # a second stop, as atexit would make, does nothing
