"""SLA figures: due-time computations per second, and the worker's at-risk sweep over 100,000 open tasks of
which 1,000 are due, on SQLite and PostgreSQL, against the naive baseline (recompute every task in Python).

Run with `.venv/bin/python bench/sla.py` (`--tasks 20000` for a quicker run).
"""

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from webapp.db import make_engine  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.domain.tasks import OPEN, Task  # noqa: E402
from webapp.services.applications.intake import Applicant, Household, open_application  # noqa: E402
from webapp.services.assembly import bootstrap, install  # noqa: E402
from webapp.services.assembly.seed import seed_demo_users  # noqa: E402
from webapp.services.deadlines.calendars import create_process_engine, load_calendars  # noqa: E402
from webapp.services.deadlines.due_times import step_deadline  # noqa: E402
from webapp.services.deadlines.sweeps import remind_at_risk  # noqa: E402
from webapp.services.platform.jobs import WorkerContext  # noqa: E402
from webapp.settings import Settings  # noqa: E402
from webapp.sla.calendar import standard_calendars  # noqa: E402
from webapp.sla.working_time import is_working_moment  # noqa: E402

NOW = datetime(2026, 12, 7, 2, 0)  # Monday 7 December 2026, 09:00 in Phnom Penh: a working moment
CASES = 20


def due_time_rate(count: int) -> float:
    """step_deadline (due and at-risk moments of a P5D step) from starts spread over a year, per second."""
    government = standard_calendars()["government"]
    starts = [datetime(2026, 1, 1) + timedelta(minutes=131 * i) for i in range(count)]
    began = time.perf_counter()
    for start in starts:
        step_deadline(government, start, "P5D")
    return count / (time.perf_counter() - began)


def prepare(url: str, tasks: int, due: int) -> None:
    """A bootstrapped database with a few real cases and `tasks` open task rows, `due` of them at risk."""
    db = make_engine(url)
    engine = create_process_engine()
    install()
    bootstrap.migrate(db)
    with Session(db) as session, session.begin():
        bootstrap.load_reference_data(
            session, Settings(database_url=url, secret_key="bench"), provinces=("17",)
        )
        bootstrap.deploy_workflows(session, engine, ROOT / "workflows")
        seed_demo_users(session)
        case_ids = [_open(session, engine, n) for n in range(CASES)]
    rows = [_task_row(i, case_ids[i % CASES], at_risk=i % (tasks // due) == 0) for i in range(tasks)]
    with Session(db) as session, session.begin():
        for chunk in range(0, len(rows), 5000):
            session.execute(insert(Task), rows[chunk : chunk + 5000])
    db.dispose()


def sweep_time(url: str) -> tuple[float, int, int]:
    """Runs the reminder sweep, as the worker does, until nothing is left: seconds, reminders, sweeps."""
    db = make_engine(url)
    context, sent, sweeps = WorkerContext("bench"), 0, 0
    began = time.perf_counter()
    while True:
        with Session(db) as session, session.begin():
            done = remind_at_risk(session, NOW, context)
        sweeps += 1
        sent += done
        if not done:
            break
    elapsed = time.perf_counter() - began
    db.dispose()
    return elapsed, sent, sweeps


def naive_time(url: str) -> tuple[float, int]:
    """The baseline: load every open task and recompute its deadline in Python to find those at risk."""
    db = make_engine(url)
    began = time.perf_counter()
    with Session(db) as session:
        calendars = load_calendars(session)
        found = 0
        query = select(Task.created_at, Task.sla_target, Task.sla_calendar).where(Task.status == OPEN)
        for created_at, target, calendar_name in session.execute(query):
            calendar = calendars[calendar_name or "government"]
            _, at_risk = step_deadline(calendar, created_at, target or "P5D")
            found += at_risk <= NOW and is_working_moment(calendar, NOW)
    elapsed = time.perf_counter() - began
    db.dispose()
    return elapsed, found


def _task_row(i: int, case_id: int, *, at_risk: bool) -> dict[str, object]:
    """At-risk rows started on Tuesday 1 December, the others on the sweep's morning."""
    created, due, warn = AT_RISK_ROW if at_risk else FRESH_ROW
    return {
        "case_id": case_id,
        "engine_task_id": f"bench-{i}",
        "spec_name": "check_documents",
        "name": "Check the documents",
        "form_key": "check_documents",
        "role": "district_ssdm_assistant",
        "area_code": "1701",
        "status": OPEN,
        "created_at": created,
        "due_at": due,
        "at_risk_at": warn,
        "sla_target": "P5D",
        "sla_calendar": "government",
        "reminders_sent": 0,
    }


def _times(created: datetime) -> tuple[datetime, datetime, datetime]:
    due, warn = step_deadline(standard_calendars()["government"], created, "P5D")
    return created, due, warn


AT_RISK_ROW = _times(NOW - timedelta(days=6))
FRESH_ROW = _times(NOW - timedelta(minutes=5))


def _open(session: Session, engine, number: int) -> int:  # type: ignore[no-untyped-def]
    actor = session.scalar(select(User).where(User.username == "ca.charchhuk"))
    applicant = Applicant(
        name_km="សុខ ស្រីមុំ",
        name_latin="Sok Sreymom",
        sex="female",
        date_of_birth=date(1950, 1, 1),
        id_kind="national_id",
        id_number=f"S{number:08d}",
        village_code="17010101",
        equity_card="poor_1",
        disability=False,
    )
    case = open_application(
        session,
        engine=engine,
        actor=actor,
        applicant=applicant,
        household=Household(
            household_size=3, pregnant=False, living_with_hiv=False, enrolled_in_school=False
        ),
        programme_code="fp_elderly",
        documents=[],
        today=date(2026, 12, 1),
        max_upload_bytes=5 * 1024 * 1024,
    )
    return case.id


def run(name: str, url: str, tasks: int, due: int) -> None:
    prepare(url, tasks, due)
    naive, naive_found = naive_time(url)
    elapsed, sent, sweeps = sweep_time(url)
    print(
        f"{name:12} sweep: {sent} reminders in {elapsed:.3f} s over {sweeps} sweep calls "
        f"({elapsed / max(1, sweeps - 1) * 1000:.1f} ms per sweep of 100)  |  "
        f"naive baseline: {naive:.3f} s to recompute {tasks} tasks and find {naive_found} at risk  |  "
        f"x{naive / elapsed:.0f} faster"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    print(f"due-time computations (due and at-risk of a P5D step): {due_time_rate(20_000):,.0f} per second")
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.tasks, args.due)
    from tests.pg_server import start_postgres

    server = start_postgres()
    try:
        run("PostgreSQL", server.url, args.tasks, args.due)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
