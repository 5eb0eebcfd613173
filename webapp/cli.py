"""Flask commands: migrate, deploy-workflows, seed-demo, check-content. Each is one transaction."""

import click
from flask import Flask
from sqlalchemy.orm import Session

from webapp.runtime import Runtime
from webapp.services import bootstrap
from webapp.services.content_check import content_problems


def register_commands(app: Flask) -> None:
    runtime: Runtime = app.extensions["sala"]

    @app.cli.command("migrate")
    def migrate_command() -> None:
        """Apply database migrations, then load the gazetteer and programme catalogue."""
        runtime.settings.instance_path.mkdir(parents=True, exist_ok=True)
        bootstrap.migrate(runtime.db_engine)
        with Session(runtime.db_engine) as session, session.begin():
            bootstrap.load_reference_data(session, runtime.settings)
        click.echo("Database is up to date.")

    @app.cli.command("deploy-workflows")
    def deploy_command() -> None:
        """Deploy workflows/*.bpmn; unchanged files keep their version."""
        with Session(runtime.db_engine) as session, session.begin():
            bootstrap.deploy_workflows(session, runtime.process_engine, runtime.settings.workflows_dir)
        click.echo("Workflows deployed.")

    @app.cli.command("seed-demo")
    def seed_command() -> None:
        """Add the demo accounts when the database has no users yet."""
        with Session(runtime.db_engine) as session, session.begin():
            bootstrap.seed_demo(session, runtime.process_engine)
        click.echo("Demo accounts and applications are in place.")

    @app.cli.command("check-content")
    def check_command() -> None:
        """Check that catalogs are complete and workflows, roles and forms agree."""
        settings = runtime.settings
        problems = content_problems(settings.workflows_dir, settings.forms_dir, settings.locales_dir)
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise SystemExit(1)
        click.echo("Content is consistent; the Khmer catalog is complete.")
