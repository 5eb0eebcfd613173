"""Flask commands: migrate, deploy-workflows, seed-demo, worker, check-content. Each is one transaction."""

import os
import signal
import socket
import threading
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from webapp.logs import configure_logging
from webapp.runtime import Runtime
from webapp.services.assembly import bootstrap
from webapp.services.assembly.worker import HANDLERS, SWEEPS
from webapp.services.correspondence.letters import PUBLIC_URL
from webapp.services.platform import backup as backups
from webapp.services.platform.jobs import Worker, WorkerContext
from webapp.services.processes.content_check import content_problems


def _runtime() -> Runtime:
    value: Runtime = current_app.extensions["sala"]
    if value.settings.public_url:  # letters issued outside a request print this address in their QR codes
        PUBLIC_URL.set(value.settings.public_url)
    return value


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Apply database migrations, then load the gazetteer and programme catalogue."""
    runtime = _runtime()
    runtime.settings.instance_path.mkdir(parents=True, exist_ok=True)
    bootstrap.migrate(runtime.db_engine)
    with Session(runtime.db_engine) as session, session.begin():
        bootstrap.load_reference_data(session, runtime.settings)
    click.echo("Database is up to date.")


@click.command("deploy-workflows")
@with_appcontext
def deploy_command() -> None:
    """Deploy workflows/*.bpmn; unchanged files keep their version."""
    runtime = _runtime()
    with Session(runtime.db_engine) as session, session.begin():
        bootstrap.deploy_workflows(session, runtime.process_engine, runtime.settings.workflows_dir)
    click.echo("Workflows deployed.")


@click.command("seed-demo")
@with_appcontext
def seed_command() -> None:
    """Add the demo accounts and applications to a database that has none."""
    runtime = _runtime()
    with Session(runtime.db_engine) as session, session.begin():
        bootstrap.seed_demo(session, runtime.process_engine)
    click.echo("Demo accounts and applications are in place.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one loop and stop (for scripts and tests).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds to sleep when idle.")
@click.option("--metrics-port", type=int, default=None, help="Serve Prometheus counters on 127.0.0.1:PORT.")
@with_appcontext
def worker_command(once: bool, interval: float, metrics_port: int | None) -> None:
    """Run background jobs and periodic sweeps until stopped; several workers may share one database.

    A database outage is waited out (exponential backoff, one log line per try), never an exit."""
    runtime = _runtime()
    configure_logging(fmt=runtime.settings.log_format, level=runtime.settings.log_level)
    context = WorkerContext(worker_id=f"{socket.gethostname()}:{os.getpid()}")
    worker = Worker(
        session_factory=runtime.session_factory, handlers=HANDLERS, sweeps=SWEEPS, context=context
    )
    if metrics_port is not None:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Worker {context.worker_id} started.")
    if once:
        worker.run_once()
    else:
        worker.run_forever(stopping=stop.is_set, interval=interval, sleep=stop.wait)
    click.echo(f"Worker {context.worker_id} stopped.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Back the whole database up to TARGET while Sala runs (pg_dump custom format, SQLite backup API)."""
    try:
        backups.backup(_runtime().settings.database_url, target)
    except backups.BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the database's contents.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database's contents with the backup SOURCE. Stop the web server and workers first."""
    runtime = _runtime()
    if not yes:
        click.confirm(f"Replace everything in {runtime.db_engine.url!r} with {source}?", abort=True)
    runtime.db_engine.dispose()  # no pooled connection may hold the old contents
    try:
        backups.restore(runtime.settings.database_url, source)
    except backups.BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {source}.")


@click.command("check-content")
@with_appcontext
def check_command() -> None:
    """Check that catalogs are complete and spelled one way, and workflows, roles and forms agree."""
    settings = _runtime().settings
    problems = content_problems(settings.workflows_dir, settings.forms_dir, settings.locales_dir)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("Content is consistent; the Khmer catalog is complete and spelled one way.")


def register_commands(app: Flask) -> None:
    commands = (migrate_command, deploy_command, seed_command, worker_command, check_command)
    for command in (*commands, backup_command, restore_command):
        app.cli.add_command(command)
