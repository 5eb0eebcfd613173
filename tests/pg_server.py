"""A throwaway PostgreSQL server for the tests, run from the machine's binaries in a temporary directory."""

import atexit
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

EXTERNAL_URL_VARIABLE = "SALA_TEST_POSTGRES_URL"
DATABASE = "sala_test"
SUPERUSER = "postgres"
_BIN_CANDIDATES = (Path("/usr/lib/postgresql/15/bin"),)
_DIR_PREFIX = "sala-pg-"
_OWNER_FILE = "owner.pid"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Durability buys nothing for a server that is deleted after the run; these make tests several times faster.
_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


@dataclass(frozen=True)
class PostgresServer:
    url: str
    root: Path | None = field(default=None, repr=False)  # None: an external server that we must not stop
    bin_dir: Path | None = field(default=None, repr=False)
    as_postgres: bool = field(default=False, repr=False)

    @property
    def data_dir(self) -> Path | None:
        return None if self.root is None else self.root / "data"

    @property
    def socket_dir(self) -> Path | None:
        return None if self.root is None else self.root / "socket"

    def create_database(self, name: str) -> str:
        """Create (or re-create, on a reused external server) an empty database and return its URL."""
        if not _NAME.fullmatch(name):
            raise ValueError(f"not a plain lower-case database name: {name!r}")
        with psycopg.connect(_libpq(self.url), autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def stop(self) -> None:
        """Stop the server and delete its directory; safe to call twice, a no-op for an external server."""
        atexit.unregister(self.stop)
        if self.root is None or self.bin_dir is None:
            return
        _shut_down(self.root, self.bin_dir, self.as_postgres)


def start_postgres() -> PostgresServer:
    """Use SALA_TEST_POSTGRES_URL when set, else start a private server with an empty `sala_test` database."""
    external = os.environ.get(EXTERNAL_URL_VARIABLE)
    if external:
        return PostgresServer(url=_with_psycopg_driver(external))
    bin_dir = _find_binaries()
    as_postgres = os.geteuid() == 0
    _reap_orphans(bin_dir, as_postgres)
    root = Path(tempfile.mkdtemp(prefix=_DIR_PREFIX))
    (root / _OWNER_FILE).write_text(str(os.getpid()))
    try:
        port = _initialise_and_start(root, bin_dir, as_postgres)
    except BaseException:
        _shut_down(root, bin_dir, as_postgres)
        raise
    url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}"
    server = PostgresServer(url=url, root=root, bin_dir=bin_dir, as_postgres=as_postgres)
    atexit.register(server.stop)  # safety net for a run that never reaches its fixture's teardown
    return server


def _initialise_and_start(root: Path, bin_dir: Path, as_postgres: bool) -> int:
    (root / "socket").mkdir()
    if as_postgres:
        # PostgreSQL refuses to run as root, so the server runs as the system's postgres user.
        _chown_to_postgres(root, root / "socket")
    _run(
        [
            str(bin_dir / "initdb"),
            f"--pgdata={root / 'data'}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        ],
        root,
        as_postgres,
    )
    # Another process may take the free port between our probe and the server's bind: try a few ports.
    for _attempt in range(3):
        port = _free_port()
        _write_config(root, port, as_postgres)
        (root / "server.log").unlink(missing_ok=True)  # so the bind check below reads this attempt only
        try:
            _run(
                _pg_ctl(bin_dir, root, "start", "--wait", "--timeout=60", f"--log={root / 'server.log'}"),
                root,
                as_postgres,
            )
        except RuntimeError:
            if "could not bind" not in _server_log(root):
                raise
            continue
        _run(
            [
                str(bin_dir / "createdb"),
                f"--host={root / 'socket'}",
                f"--port={port}",
                "--username",
                SUPERUSER,
                DATABASE,
            ],
            root,
            as_postgres,
        )
        return port
    raise RuntimeError(f"PostgreSQL could not bind a free port on 127.0.0.1:\n{_server_log(root)}")


def _write_config(root: Path, port: int, as_postgres: bool) -> None:
    settings = {
        **_SETTINGS,
        "listen_addresses": "'127.0.0.1'",
        "port": str(port),
        "unix_socket_directories": f"'{root / 'socket'}'",
    }
    # A file included last wins over initdb's defaults and can be rewritten before each start attempt.
    (root / "data" / "sala.conf").write_text("".join(f"{key} = {value}\n" for key, value in settings.items()))
    if as_postgres:
        _chown_to_postgres(root / "data" / "sala.conf")
    config = root / "data" / "postgresql.conf"
    if "include 'sala.conf'" not in config.read_text():
        with config.open("a") as handle:
            handle.write("\ninclude 'sala.conf'\n")


def _shut_down(root: Path, bin_dir: Path, as_postgres: bool) -> None:
    if (root / "data" / "postmaster.pid").exists():
        # Immediate mode: nothing in this server is worth a checkpoint.
        with contextlib.suppress(RuntimeError, OSError):
            _run(
                _pg_ctl(bin_dir, root, "stop", "--mode=immediate", "--wait", "--timeout=30"),
                root,
                as_postgres,
            )
    shutil.rmtree(root, ignore_errors=True)


def _reap_orphans(bin_dir: Path, as_postgres: bool) -> None:
    """Stop servers left behind by runs that were killed before atexit could run (a CI time-out, kill -9)."""
    for root in Path(tempfile.gettempdir()).glob(f"{_DIR_PREFIX}*"):
        try:
            owner = int((root / _OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not _is_alive(owner):
            _shut_down(root, bin_dir, as_postgres)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _find_binaries() -> Path:
    on_path = shutil.which("pg_ctl")
    candidates = [*_BIN_CANDIDATES, *([Path(on_path).resolve().parent] if on_path else [])]
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres", "createdb")):
            return candidate
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres, createdb) not found in "
        f"{', '.join(map(str, candidates))}: install Debian's postgresql-15 package, "
        f"or set {EXTERNAL_URL_VARIABLE} to the URL of a server the tests may use"
    )


def _pg_ctl(bin_dir: Path, root: Path, action: str, *options: str) -> list[str]:
    return [str(bin_dir / "pg_ctl"), action, f"--pgdata={root / 'data'}", "--silent", *options]


def _run(command: list[str], root: Path, as_postgres: bool) -> None:
    if as_postgres:
        command = ["runuser", "-u", SUPERUSER, "--", *command]
    # Inherited PG* variables (PGPORT, PGHOST...) would point the tools at some other server.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    # Output goes to a file, not a pipe: the server started by pg_ctl must not hold our pipe open.
    output = root / "commands.log"
    with output.open("ab") as handle:
        start = handle.tell()
        result = subprocess.run(
            command,
            cwd=root,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=handle,
            timeout=120,
        )
    if result.returncode != 0:
        said = output.read_bytes()[start:].decode(errors="replace")
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{said}\n{_server_log(root)}")


def _server_log(root: Path) -> str:
    try:
        return (root / "server.log").read_text(errors="replace")
    except OSError:
        return ""


def _chown_to_postgres(*paths: Path) -> None:
    try:
        for path in paths:
            shutil.chown(path, user=SUPERUSER, group=SUPERUSER)
    except LookupError as error:
        raise RuntimeError(
            "running as root, the tests start PostgreSQL as the 'postgres' system user, "
            "which does not exist: install Debian's postgresql-15 package (it creates the user)"
        ) from error


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _libpq(url: str) -> str:
    """SQLAlchemy's URL as a conninfo string that psycopg understands."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _with_psycopg_driver(url: str) -> str:
    # A bare postgresql:// URL would make SQLAlchemy look for psycopg2, which Sala does not install.
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)
