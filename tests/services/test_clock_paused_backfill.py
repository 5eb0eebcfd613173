"""Migration 0031's backfill: a case whose last pause or resume event is a pause is marked paused, the others
not. Runs on a fresh database of the run's kind (a SQLite file, or a new database of the run's PostgreSQL
server)."""

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.migration_support import fresh_database_url, upgrade
from tests.services.test_task_process_backfill import _filled
from webapp.db import make_engine

# Case id -> its clock events in time order (the last one decides).
HISTORIES = {
    1: ["clock_paused"],
    2: ["clock_paused", "clock_resumed"],
    3: [],
    4: ["clock_resumed", "clock_paused"],
}


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> str:
    return fresh_database_url(database_url, tmp_path, "sala_clock_paused_rehearsal")


def _cases_with_clock_events(url: str) -> None:
    """Cases and their clock events written as before 0031 (without foreign-key checks: the cases' other
    references are not what the backfill reads)."""
    engine = sa.create_engine(url)  # SQLite without Sala's foreign-key pragma
    meta = sa.MetaData()
    case_file, event = (sa.Table(name, meta, autoload_with=engine) for name in ("case_file", "case_event"))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for case_id, kinds in HISTORIES.items():
            values = _filled(case_file, {"id": case_id, "reference": f"R-{case_id}", "process_id": "p"})
            connection.execute(case_file.insert().values(**values))
            for hour, kind in enumerate(kinds):
                at = datetime(2026, 3, 2, 8 + hour)
                connection.execute(
                    event.insert().values(**_filled(event, {"case_id": case_id, "kind": kind, "at": at}))
                )
    engine.dispose()


def test_the_migration_marks_paused_the_cases_whose_last_clock_event_is_a_pause(fresh_url):
    upgrade(fresh_url, "0030")
    _cases_with_clock_events(fresh_url)
    upgrade(fresh_url, "0031")
    engine = make_engine(fresh_url)
    with engine.connect() as connection:
        rows = dict(connection.execute(sa.text("SELECT id, clock_paused FROM case_file")).all())
    engine.dispose()
    assert {case_id: bool(paused) for case_id, paused in rows.items()} == {
        1: True,
        2: False,
        3: False,
        4: True,
    }
