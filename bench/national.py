"""National volume: server time of the officer pages and reports on a PostgreSQL holding a national history,
against the baseline measured in the same run (the queries as they were, without the national indexes).

The database uses an ICU (en-US) collation, as a production server set up with a Khmer or English locale
would: outside the C collation a prefix LIKE cannot use a plain btree.

Run with `.venv/bin/python bench/national.py` (about 5 minutes on 2 cores), `--scale 0.1` for a quick run.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, Index, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import national_naive as naive  # noqa: E402
from bench.national_data import Volume, add_officers, build  # noqa: E402
from tests.pg_server import start_postgres  # noqa: E402
from webapp.db import make_engine  # noqa: E402
from webapp.domain import Base  # noqa: E402
from webapp.domain.areas import AreaLevel  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.services.assembly import bootstrap  # noqa: E402
from webapp.services.assembly.seed import seed_demo_users  # noqa: E402
from webapp.services.casework.queries import candidates_for_tasks, case_list, inbox  # noqa: E402
from webapp.services.deadlines.calendars import create_process_engine  # noqa: E402
from webapp.services.deadlines.due_times import sla_views  # noqa: E402
from webapp.services.deadlines.report import sla_report  # noqa: E402
from webapp.services.deadlines.supervision import tasks_at_risk  # noqa: E402
from webapp.services.grievances.report import monthly_report  # noqa: E402
from webapp.settings import Settings  # noqa: E402

NOW = datetime(2026, 11, 30, 3, 0)  # Monday 30 November 2026, 10:00 in Phnom Penh
REPORT_MONTH = date(2026, 10, 1)
NEW_INDEXES = (  # migration 0010
    "ix_task_open_role_area",
    "ix_task_open_assignee",
    "ix_task_open_due",
    "ix_task_completed",
    "ix_task_case_completed",
    "ix_case_file_created",
    "ix_case_file_open_area",
    "ix_grievance_resolved_at",
)
DATABASE = "sala_national"
SERVER_SETTINGS = {"work_mem": "'32MB'", "maintenance_work_mem": "'512MB'", "max_wal_size": "'4GB'"}
PAGE_AIM, REPORT_AIM = 0.100, 0.500


@dataclass(frozen=True)
class Subjects:
    communes: list[int]  # commune assistants
    officers: list[int]  # district SSDM assistants
    supervisors: list[int]  # district supervisors
    admin: int


@dataclass(frozen=True)
class Query:
    name: str
    aim: float
    new: Callable[[Session, User], Any]
    naive: Callable[[Session, User], Any] | None  # None: the old query would run for many minutes
    users: Callable[[Subjects], list[int]]


def _deadline_page(session: Session, user: User) -> int:
    tasks = tasks_at_risk(session, user=user, now=NOW)
    candidates = candidates_for_tasks(session, tasks=tasks)
    sla_views(session, tasks, now=NOW)
    return sum(len(found) for found in candidates.values())


def _naive_deadline_page(session: Session, user: User) -> int:
    shown = naive.deadline_page(session, user=user, now=NOW)
    return shown


def _second_case_page(session: Session, user: User) -> int:
    first = case_list(session, user=user)
    return len(case_list(session, user=user, older_than=first.older).cases)


QUERIES = (
    Query(
        "commune inbox (commune assistant)",
        PAGE_AIM,
        lambda s, u: inbox(s, user=u, now=NOW),
        lambda s, u: naive.inbox(s, user=u, now=NOW),
        lambda who: who.communes,
    ),
    Query(
        "district inbox (SSDM assistant)",
        PAGE_AIM,
        lambda s, u: inbox(s, user=u, now=NOW),
        lambda s, u: naive.inbox(s, user=u, now=NOW),
        lambda who: who.officers,
    ),
    Query(
        "district inbox (supervisor)",
        PAGE_AIM,
        lambda s, u: inbox(s, user=u, now=NOW),
        lambda s, u: naive.inbox(s, user=u, now=NOW),
        lambda who: who.supervisors,
    ),
    Query(
        "case list (district)",
        PAGE_AIM,
        lambda s, u: case_list(s, user=u),
        lambda s, u: naive.case_list(s, user=u),
        lambda who: who.supervisors,
    ),
    Query(
        "case list (commune)",
        PAGE_AIM,
        lambda s, u: case_list(s, user=u),
        lambda s, u: naive.case_list(s, user=u),
        lambda who: who.communes,
    ),
    Query(
        "case list, first two pages (nation)",
        PAGE_AIM,
        _second_case_page,
        lambda s, u: naive.case_list(s, user=u),
        lambda who: [who.admin],
    ),
    Query(
        "deadline page (district)",
        PAGE_AIM,
        _deadline_page,
        _naive_deadline_page,
        lambda who: who.supervisors,
    ),
    Query(
        "SLA report, one month (district)",
        REPORT_AIM,
        lambda s, u: sla_report(
            s, user=u, area_code=None, now=NOW, first_month=REPORT_MONTH, last_month=REPORT_MONTH
        ),
        lambda s, u: naive.sla_report(s, user=u, scope=u.scope_code, now=NOW),
        lambda who: who.supervisors,
    ),
    Query(
        "SLA report, one month (nation)",
        REPORT_AIM,
        lambda s, u: sla_report(
            s, user=u, area_code=None, now=NOW, first_month=REPORT_MONTH, last_month=REPORT_MONTH
        ),
        None,  # the old report loads all 3.2 M steps of the nation into Python
        lambda who: [who.admin],
    ),
    Query(
        "grievance report (district)",
        REPORT_AIM,
        lambda s, u: monthly_report(s, user=u, month=REPORT_MONTH, level=AreaLevel.COMMUNE),
        lambda s, u: naive.grievance_report(s, user=u, month=REPORT_MONTH, level=AreaLevel.COMMUNE),
        lambda who: who.supervisors,
    ),
    Query(
        "grievance report (nation)",
        REPORT_AIM,
        lambda s, u: monthly_report(s, user=u, month=REPORT_MONTH, level=AreaLevel.DISTRICT),
        lambda s, u: naive.grievance_report(s, user=u, month=REPORT_MONTH, level=AreaLevel.DISTRICT),
        lambda who: [who.admin],
    ),
)


def prepare(url: str, scale: float) -> tuple[Engine, Volume, float]:
    """A bootstrapped database with the national volume and without the 0010 indexes; seconds it took."""
    began = time.perf_counter()
    db = make_engine(url)
    engine = create_process_engine()
    bootstrap.migrate(db)
    with Session(db) as session, session.begin():
        bootstrap.load_reference_data(session, Settings(database_url=url, secret_key="bench"))
        bootstrap.deploy_workflows(session, engine, ROOT / "workflows")
        seed_demo_users(session)
    volume = Volume.at(scale)
    with db.begin() as connection:
        for name in NEW_INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
        password = connection.scalar(select(User.password_hash).where(User.username == "admin"))
        officers = add_officers(connection, password or "")
        build(connection, volume, NOW)
    _vacuum(url)
    print(
        f"built: {volume.closed_cases:,} closed and {volume.open_cases:,} open cases, "
        f"{volume.grievances:,} grievances, {officers:,} officers in {time.perf_counter() - began:.0f} s"
    )
    return db, volume, time.perf_counter() - began


def create_new_indexes(db: Engine, url: str) -> float:
    began = time.perf_counter()
    indexes = {index.name: index for table in Base.metadata.tables.values() for index in table.indexes}
    with db.begin() as connection:
        for name in NEW_INDEXES:
            index: Index = indexes[name]
            index.create(connection)
    _vacuum(url)
    return time.perf_counter() - began


def _vacuum(url: str) -> None:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def subjects(db: Engine, count: int) -> Subjects:
    with Session(db) as session:

        def ids(role: str, length: int) -> list[int]:
            rows = session.scalars(
                select(User.id)
                .where(User.role == role, User.username.like("%.%"), text(f"length(area_code) = {length}"))
                .order_by(text("hashint4(id)"))
                .limit(count)
            )
            return list(rows)

        admin = session.scalar(select(User.id).where(User.username == "admin"))
        assert admin is not None
        return Subjects(
            communes=ids("commune_assistant", 6),
            officers=ids("district_ssdm_assistant", 4),
            supervisors=ids("district_supervisor", 4),
            admin=admin,
        )


def measure(db: Engine, run: Callable[[Session, User], Any], users: list[int], repeat: int, budget: float):
    """Seconds of each call, one session per call as a request has, cycling through the users."""
    times: list[float] = []
    started = time.perf_counter()
    for index in range(repeat):
        with Session(db) as session:
            user = session.get(User, users[index % len(users)])
            assert user is not None
            began = time.perf_counter()
            run(session, user)
            times.append(time.perf_counter() - began)
        if time.perf_counter() - started > budget:  # the slowest baselines get a call or two
            break
    return times


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def _patch_within(replacement: Callable[..., Any]) -> dict[str, Any]:
    """Point every loaded module's `within` at `replacement`; returns what to restore."""
    saved = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("webapp.") and hasattr(module, "within") and name != "webapp.domain.areas":
            saved[name] = module.within
            module.within = replacement
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1 M closed cases, 3.2 M task rows")
    parser.add_argument("--repeat", type=int, default=30, help="calls per query (new queries)")
    parser.add_argument("--baseline-budget", type=float, default=20.0, help="seconds per baseline query")
    args = parser.parse_args()
    server = start_postgres()
    try:
        url = _national_database(server.url)
        db, _volume, _built = prepare(url, args.scale)
        who = subjects(db, 20)
        print("search: skipped, the registry's search does not exist yet")
        saved = _patch_within(naive.within)
        baseline = {
            q.name: measure(db, q.naive, q.users(who), args.repeat, args.baseline_budget)
            for q in QUERIES
            if q.naive is not None
        }
        for name, original in saved.items():
            sys.modules[name].within = original  # type: ignore[attr-defined]
        took = create_new_indexes(db, url)
        print(f"0010 indexes created and analysed in {took:.0f} s")
        for q in QUERIES:  # warm once, as the baseline's first calls warmed its pages
            measure(db, q.new, q.users(who), 2, 1.0)
        results = {q.name: measure(db, q.new, q.users(who), args.repeat, 60.0) for q in QUERIES}
        _print(baseline, results)
        db.dispose()
    finally:
        server.stop()


def _national_database(url: str) -> str:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        for key, value in SERVER_SETTINGS.items():
            connection.execute(f"ALTER SYSTEM SET {key} = {value}")
        connection.execute("SELECT pg_reload_conf()")
        connection.execute(
            f"CREATE DATABASE {DATABASE} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu "
            "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
    return make_url(url).set(database=DATABASE).render_as_string(hide_password=False)


def _print(baseline: dict[str, list[float]], results: dict[str, list[float]]) -> None:
    head = f"{'baseline p50':>12} {'p95':>8} {'new p50':>9} {'p95':>8} {'aim':>6}  ok"
    print(f"\n{'server time, ms':40} {head}")
    for q in QUERIES:
        old, new = baseline.get(q.name), results[q.name]
        p95 = percentile(new, 0.95)
        before = (
            f"{statistics.median(old) * 1000:>12.1f} {percentile(old, 0.95) * 1000:>8.1f}"
            if old
            else (f"{'not run':>12} {'':>8}")
        )
        print(
            f"{q.name:40} {before} "
            f"{statistics.median(new) * 1000:>9.1f} {p95 * 1000:>8.1f} {q.aim * 1000:>6.0f}  "
            f"{'yes' if p95 < q.aim else 'NO'}"
        )
    calls = min(map(len, baseline.values())), min(map(len, results.values()))
    print(f"(calls per query: baseline at least {calls[0]}, new at least {calls[1]}; p95 of few calls = max)")


if __name__ == "__main__":
    main()
