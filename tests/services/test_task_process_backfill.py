"""Migration 0022's backfill: every task written before it carries its case's process afterwards. Runs on a
fresh database of the run's kind (a SQLite file, or a new database of the run's PostgreSQL server)."""

from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.migration_support import fresh_database_url, upgrade
from webapp.db import make_engine

PROCESSES = ("ssdm_programme_application", "grievance_ssdm")


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> str:
    return fresh_database_url(database_url, tmp_path, "sala_task_process_rehearsal")


def _filled(table: sa.Table, given: dict[str, object]) -> dict[str, object]:
    """`given`, and a plain value for every other required column without a default."""
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        kind = column.type.python_type
        row[column.name] = {
            str: "x",
            int: 1,
            bool: False,
            datetime: datetime(2026, 1, 5),
            date: date(2026, 1, 5),
        }[kind]
    return row


def _tasks_of_two_processes(url: str) -> dict[int, str]:
    """One case of each process with one task, written as before 0022 (no foreign-key checks needed: the
    cases' other references are not what the backfill reads); returns task id -> the case's process."""
    engine = sa.create_engine(url)  # SQLite without Sala's foreign-key pragma
    meta = sa.MetaData()
    case_file, task = (sa.Table(name, meta, autoload_with=engine) for name in ("case_file", "task"))
    found = {}
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for number, process in enumerate(PROCESSES, start=1):
            values = _filled(case_file, {"id": number, "reference": f"R-{number}", "process_id": process})
            connection.execute(case_file.insert().values(**values))
            values = _filled(task, {"id": number, "case_id": number, "status": "completed"})
            connection.execute(task.insert().values(**values))
            found[number] = process
    engine.dispose()
    return found


def test_the_migration_gives_each_task_written_before_it_the_process_of_its_case(fresh_url):
    upgrade(fresh_url, "0021")
    expected = _tasks_of_two_processes(fresh_url)
    upgrade(fresh_url, "0022")
    engine = make_engine(fresh_url)
    with engine.connect() as connection:
        rows = dict(connection.execute(sa.text("SELECT id, process_id FROM task")).all())
    engine.dispose()
    assert rows == expected
