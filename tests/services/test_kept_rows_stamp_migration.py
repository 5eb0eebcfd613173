"""Migration 0033 rehearsed on a fresh database of the run's kind: it starts the programmes' and workflows'
stamps apart from other databases', its triggers move each with plain SQL writes of its own table only, and
going back to 0032 removes them cleanly."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from tests.migration_support import fresh_database_url, stamps_after, upgrade
from webapp.db import make_engine
from webapp.services.assembly.bootstrap import alembic_config

PROGRAMME = (
    "INSERT INTO programme (code, name, sector, family, rule, active, position) "
    "VALUES ('kept', 'Kept', 'health', 'Health', 'Anyone', true, 0)"
)
VERSION = (
    "INSERT INTO workflow_version (process_id, version, name, content_hash, files_json, spec_json, "
    "deployed_at, status, change_note) "
    "VALUES ('kept', 1, 'Kept', 'kept-1', '{}', '{}', '2026-11-28', 'published', '')"
)
WITHDRAWAL = "UPDATE workflow_version SET status = 'archived' WHERE process_id = 'kept'"


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """One database per test: xdist workers may share the PostgreSQL server and run this module's tests."""
    return fresh_database_url(database_url, tmp_path, request.function.__name__[:60])


def test_the_migration_starts_both_stamps_apart_and_its_triggers_move_each_with_its_table(
    fresh_url, database_url, db_engine
):
    upgrade(fresh_url, "0033")
    seeded = stamps_after(fresh_url)
    after_programme = stamps_after(fresh_url, PROGRAMME)
    after_version = stamps_after(fresh_url, VERSION)
    after_withdrawal = stamps_after(fresh_url, WITHDRAWAL)
    the_runs_database = stamps_after(database_url)  # migrated at the start of the run
    assert {"programmes", "workflows"} <= seeded.keys()
    assert set(seeded.values()).isdisjoint(the_runs_database.values())
    assert after_programme["programmes"] != seeded["programmes"]
    assert after_programme["workflows"] == seeded["workflows"]
    assert after_version["workflows"] != seeded["workflows"]
    assert after_version["programmes"] == after_programme["programmes"]
    assert after_withdrawal["workflows"] not in {seeded["workflows"], after_version["workflows"]}
    assert after_withdrawal["calendars"] == seeded["calendars"]


def test_going_back_to_0032_drops_both_stamps_and_the_tables_stay_writable(fresh_url):
    upgrade(fresh_url, "0033")
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        config = alembic_config(fresh_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0032")
    with engine.begin() as connection:
        connection.execute(sa.text(PROGRAMME))
        connection.execute(sa.text(VERSION))
        names = set(connection.scalars(sa.text("SELECT name FROM reference_stamp")))
    engine.dispose()
    assert names == {"calendars", "policies"}


def test_migration_0034_moves_the_rules_stamp_with_business_rule_writes_only(fresh_url):
    upgrade(fresh_url, "0034")
    seeded = stamps_after(fresh_url)
    after_rule = stamps_after(fresh_url, "UPDATE business_rule SET value = value + 1")
    after_programme = stamps_after(fresh_url, PROGRAMME)
    assert "rules" in seeded
    assert after_rule["rules"] != seeded["rules"]
    assert after_rule["programmes"] == seeded["programmes"]
    assert after_programme["rules"] == after_rule["rules"]


def test_migration_0035_moves_the_users_stamp_with_account_writes_only(fresh_url):
    upgrade(fresh_url, "0035")
    seeded = stamps_after(fresh_url)
    after_account = stamps_after(
        fresh_url,
        "INSERT INTO app_user (username, password_hash, full_name, role, active, created_at, "
        "session_version, must_change_password, process_owner) VALUES ('stamp', 'x', 'Stamp', "
        "'district_supervisor', true, '2026-11-28', 1, false, false)",
    )
    after_rule = stamps_after(fresh_url, "UPDATE business_rule SET value = value + 1")
    assert "users" in seeded
    assert after_account["users"] != seeded["users"]
    assert after_account["rules"] == seeded["rules"]
    assert after_rule["users"] == after_account["users"]
