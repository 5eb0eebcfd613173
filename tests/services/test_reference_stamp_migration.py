"""Migration 0032 rehearsed on a fresh database of the run's kind: it starts both stamps apart from other
databases', its triggers move them with plain SQL writes of the calendar and policy tables, and going back
to 0031 removes them cleanly."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from tests.migration_support import fresh_database_url, stamps_after, upgrade
from webapp.db import make_engine
from webapp.services.assembly.bootstrap import alembic_config

DAY_OFF = (
    "INSERT INTO calendar_exception (calendar_id, day, working, reason) "
    "SELECT id, '2027-05-13', false, 'Royal birthday' FROM work_calendar WHERE name = 'government'"
)


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """One database per test: xdist workers may share the PostgreSQL server and run this module's tests."""
    return fresh_database_url(database_url, tmp_path, request.function.__name__[:60])


def _downgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def test_the_migration_starts_the_stamps_apart_from_another_databases_and_its_triggers_move_them(
    fresh_url, database_url, db_engine
):
    upgrade(fresh_url, "0032")
    seeded = stamps_after(fresh_url)
    after_day_off = stamps_after(fresh_url, DAY_OFF)
    policy = "UPDATE sla_policy SET target = 'P21D' WHERE clock = 'application'"
    after_policy = stamps_after(fresh_url, policy)
    the_runs_database = stamps_after(database_url)  # migrated at the start of the run
    assert set(seeded.values()).isdisjoint(the_runs_database.values())
    assert (
        after_day_off["calendars"] != seeded["calendars"] and after_day_off["policies"] == seeded["policies"]
    )
    assert after_policy["policies"] != seeded["policies"]
    assert after_policy["calendars"] == after_day_off["calendars"]


def test_going_back_to_0031_drops_the_stamps_and_the_calendars_stay_writable(fresh_url):
    upgrade(fresh_url, "0032")
    _downgrade(fresh_url, "0031")
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(sa.text(DAY_OFF))
        assert "reference_stamp" not in sa.inspect(connection).get_table_names()
    engine.dispose()
