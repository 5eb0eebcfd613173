"""Backup and restore of Sala's whole database: PostgreSQL through pg_dump/pg_restore (custom format), SQLite
through its online backup API. Never copy a running SQLite file: what is still in its WAL would be lost."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

PG_BIN_DIRS = (Path("/usr/lib/postgresql/15/bin"),)


class BackupFailed(RuntimeError):
    pass


def backup(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database or ""), target)
    elif url.get_backend_name() == "postgresql":
        _pg(url, "pg_dump", "--format=custom", "--no-owner", f"--file={target}")
    else:
        raise BackupFailed(f"no backup for {url.get_backend_name()} databases")


def restore(database_url: str, source: Path) -> None:
    """Replaces the database's contents with the backup's. Stop the web nodes and workers first."""
    if not source.is_file():
        raise BackupFailed(f"{source} is not a file")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source, Path(url.database or ""))
    elif url.get_backend_name() == "postgresql":
        _pg(url, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source))
    else:
        raise BackupFailed(f"no restore for {url.get_backend_name()} databases")


def _sqlite_copy(source: Path, target: Path) -> None:
    """sqlite3's online backup: a consistent copy, WAL included, while other connections keep writing."""
    if not source.is_file():
        raise BackupFailed(f"{source} is not a file")
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _pg(url: URL, tool: str, *arguments: str) -> None:
    """Runs pg_dump or pg_restore with the URL's host, port, user and database; the password goes through
    the environment (PGPASSWORD), never the command line, where other users of the machine could read it."""
    connection = [
        *([f"--host={url.host}"] if url.host else []),
        *([f"--port={url.port}"] if url.port else []),
        *([f"--username={url.username}"] if url.username else []),
        f"--dbname={url.database}",
    ]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(  # noqa: S603 - the tool is found below, the arguments are not a shell line
        [_tool(tool), *connection, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupFailed(f"{tool} failed ({result.returncode}): {result.stderr.strip()}")


def _tool(name: str) -> str:
    """The server's own version of the tool first (Debian's /usr/bin one picks a version by itself)."""
    for folder in PG_BIN_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} not found: install PostgreSQL's client tools (postgresql-client-15)")
    return found
