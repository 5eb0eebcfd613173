"""The PostgreSQL server of bench/national.py: a throwaway one (tests/pg_server.py), or one kept in a
directory of the caller's choosing (`--keep DIR`), started again on the next run so the national volume is
built once and measured many times."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests import pg_server

BUILT = "national-volume.json"  # written once the volume is complete: its scale


@dataclass(frozen=True)
class Server:
    url: str
    built_scale: float | None  # the scale of a complete volume already in the kept directory, else None
    keep: Path | None
    server: pg_server.PostgresServer | None = None

    def mark_built(self, scale: float) -> None:
        if self.keep is not None:
            (self.keep / BUILT).write_text(json.dumps({"scale": scale}))

    def stop(self) -> None:
        """Stop the server; a kept directory stays (a clean shutdown, so it starts again without recovery)."""
        if self.server is not None:
            self.server.stop()
            return
        if self.keep is not None and (self.keep / "data" / "postmaster.pid").exists():
            bin_dir, as_postgres = pg_server._find_binaries(), os.geteuid() == 0
            command = pg_server._pg_ctl(bin_dir, self.keep, "stop", "--mode=fast", "--wait", "--timeout=120")
            pg_server._run(command, self.keep, as_postgres)


def start(keep: Path | None) -> Server:
    """A running server: a new throwaway one, or the one of `keep` (initialised there on the first run)."""
    if keep is None:
        server = pg_server.start_postgres()
        if server.root is not None:
            _minimal_wal(server.url, server.root)
        return Server(server.url, None, None, server)
    keep = keep.resolve()
    bin_dir, as_postgres = pg_server._find_binaries(), os.geteuid() == 0
    if not (keep / "data" / "PG_VERSION").exists():
        (keep / BUILT).unlink(missing_ok=True)
        keep.mkdir(parents=True, exist_ok=True)
        port = pg_server._initialise_and_start(keep, bin_dir, as_postgres)
    else:
        port = pg_server._free_port()
        pg_server._write_config(keep, port, as_postgres)
        command = pg_server._pg_ctl(
            bin_dir, keep, "start", "--wait", "--timeout=120", f"--log={keep / 'server.log'}"
        )
        pg_server._run(command, keep, as_postgres)
    url = f"postgresql+psycopg://{pg_server.SUPERUSER}@127.0.0.1:{port}/{pg_server.DATABASE}"
    _minimal_wal(url, keep)
    built = keep / BUILT
    scale = json.loads(built.read_text())["scale"] if built.exists() else None
    return Server(url, scale, keep)


def _minimal_wal(url: str, root: Path) -> None:
    """The minimal write-ahead log (restarting the server once to set it): rows written into a table that
    the same transaction truncated, and indexes it builds, then skip the log, which a bulk load spends most
    of its writing on. A server nobody replicates from loses nothing by it."""
    with psycopg.connect(pg_server._libpq(url), autocommit=True) as connection:
        row = connection.execute("SHOW wal_level").fetchone()
        if row is not None and row[0] == "minimal":
            return
        connection.execute("ALTER SYSTEM SET wal_level = 'minimal'")
        connection.execute("ALTER SYSTEM SET max_wal_senders = 0")
    bin_dir, as_postgres = pg_server._find_binaries(), os.geteuid() == 0
    command = pg_server._pg_ctl(
        bin_dir, root, "restart", "--wait", "--timeout=120", f"--log={root / 'server.log'}"
    )
    pg_server._run(command, root, as_postgres)
