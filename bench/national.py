"""National volume: server time of the officer pages and reports on a PostgreSQL holding a national history,
against the baseline measured in the same run (the queries as they were, without the national indexes).

The database uses an ICU (en-US) collation, as a production server set up with a Khmer or English locale
would: outside the C collation a prefix LIKE cannot use a plain btree.

Run with `.venv/bin/python bench/national.py` (about 5 minutes on 2 cores), `--scale 0.1` for a quick run.
`--keep DIR` keeps the server's directory: the next run with the same scale starts it again and measures
without building; `--no-baseline` measures the queries of today only.

The volume is loaded in one transaction with the secondary indexes of the big tables dropped (created again
after the load, which is several times faster than maintaining them row by row) and the foreign-key
triggers off (the bulk statements keep the references right by construction).
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
from sqlalchemy import Connection, Engine, Index, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import national_naive as naive  # noqa: E402
from bench import national_server  # noqa: E402
from bench.national_data import Volume, add_officers, build  # noqa: E402
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
from webapp.services.registry.monitoring import Period, monitoring_report  # noqa: E402
from webapp.services.registry.search import search_people  # noqa: E402
from webapp.settings import Settings  # noqa: E402

NOW = datetime(2026, 11, 30, 3, 0)  # Monday 30 November 2026, 10:00 in Phnom Penh
REPORT_MONTH = date(2026, 10, 1)
NEW_INDEXES = (  # migration 0010 (its completion index as 0022 made it), created after the baseline
    "ix_task_open_role_area",
    "ix_task_open_assignee",
    "ix_task_open_due",
    "ix_task_completed_report",
    "ix_task_case_completed",
    "ix_case_file_created",
    "ix_case_file_open_area",
    "ix_grievance_resolved_at",
)
DATABASE = "sala_national"
SERVER_SETTINGS = {"work_mem": "'32MB'", "maintenance_work_mem": "'512MB'", "max_wal_size": "'4GB'"}
LOADED_TABLES = ("person", "case_file", "task", "grievance")  # their secondary indexes wait for the load
SEARCHED_NAME = "sok dara"
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


def _monitoring(session: Session, user: User) -> int:
    period = Period("month", REPORT_MONTH.year, REPORT_MONTH.month)
    return len(monitoring_report(session, user=user, scope_code=None, period=period, now=NOW).rows)


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
        "monitoring report, one month (district)",
        REPORT_AIM,
        lambda s, u: _monitoring(s, u),
        lambda s, u: _monitoring(s, u),  # no older version: the same report without the national indexes
        lambda who: who.supervisors,
    ),
    Query(
        "monitoring report, one month (nation)",
        REPORT_AIM,
        lambda s, u: _monitoring(s, u),
        lambda s, u: _monitoring(s, u),
        lambda who: [who.admin],
    ),
    Query(
        "registry search by name (district)",
        PAGE_AIM,
        lambda s, u: search_people(s, user=u, query=SEARCHED_NAME),
        lambda s, u: search_people(s, user=u, query=SEARCHED_NAME),
        lambda who: who.supervisors,
    ),
    Query(
        "registry search by name (commune)",
        PAGE_AIM,
        lambda s, u: search_people(s, user=u, query=SEARCHED_NAME),
        lambda s, u: search_people(s, user=u, query=SEARCHED_NAME),
        lambda who: who.communes,
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
        connection.execute(text("SET LOCAL session_replication_role = replica"))  # no foreign-key triggers
        # Empty in a new database; truncated in the loading transaction, they skip the minimal WAL.
        connection.execute(text(f"TRUNCATE {', '.join(LOADED_TABLES)} CASCADE"))
        password = connection.scalar(select(User.password_hash).where(User.username == "admin"))
        officers = add_officers(connection, password or "")
        indexes = _drop_secondary_indexes(connection)
        loading = time.perf_counter()
        build(connection, volume, NOW)
        loaded = time.perf_counter()
        for name, definition in indexes:
            if name not in NEW_INDEXES:
                connection.execute(text(definition))
        indexed = time.perf_counter()
    _vacuum(url)
    print(
        f"built: {volume.closed_cases:,} closed and {volume.open_cases:,} open cases, "
        f"{volume.grievances:,} grievances, {officers:,} officers in {time.perf_counter() - began:.0f} s "
        f"(rows {loaded - loading:.0f} s, indexes {indexed - loaded:.0f} s, analysis "
        f"{time.perf_counter() - indexed:.0f} s)"
    )
    return db, volume, time.perf_counter() - began


def _drop_secondary_indexes(connection: Connection) -> list[tuple[str, str]]:
    """Drops the indexes of the loaded tables that no constraint owns; returns (name, definition) of each."""
    rows = connection.execute(
        text(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(:tables) AND t.relnamespace = 'public'::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        ),
        {"tables": list(LOADED_TABLES)},
    ).all()
    for name, _definition in rows:
        connection.execute(text(f'DROP INDEX "{name}"'))
    return [(str(name), str(definition)) for name, definition in rows]


def drop_new_indexes(db: Engine) -> None:
    """The baseline's schema on a kept volume: the national indexes dropped again."""
    with db.begin() as connection:
        for name in NEW_INDEXES:
            connection.execute(text(f"DROP INDEX IF EXISTS {name}"))


def create_new_indexes(db: Engine, url: str) -> float:
    began = time.perf_counter()
    indexes = {index.name: index for table in Base.metadata.tables.values() for index in table.indexes}
    with db.begin() as connection:
        for name in NEW_INDEXES:
            index: Index = indexes[name]
            index.create(connection, checkfirst=True)
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
    parser.add_argument("--keep", type=Path, help="the server's directory, kept, and reused when built")
    parser.add_argument("--no-baseline", action="store_true", help="measure the queries of today only")
    args = parser.parse_args()
    server = national_server.start(args.keep)
    try:
        db = _volume(server, args.scale)
        who = subjects(db, 20)
        _check_search(db, who)
        baseline = {} if args.no_baseline else _baseline(db, who, args.repeat, args.baseline_budget)
        took = create_new_indexes(db, db.url.render_as_string(hide_password=False))
        print(f"0010 indexes created and analysed in {took:.0f} s")
        for q in QUERIES:  # warm once, as the baseline's first calls warmed its pages
            measure(db, q.new, q.users(who), 2, 1.0)
        results = {q.name: measure(db, q.new, q.users(who), args.repeat, 60.0) for q in QUERIES}
        _print(baseline, results)
        db.dispose()
    finally:
        server.stop()


def _check_search(db: Engine, who: Subjects) -> None:
    """The measured search finds people (the name tokens were built), else the figures would mean nothing."""
    with Session(db) as session:
        reader = session.get(User, who.supervisors[0])
        assert reader is not None
        found = len(search_people(session, user=reader, query=SEARCHED_NAME).people)
    print(f"search for {SEARCHED_NAME!r} in district {reader.scope_code}: {found} people on the first page")
    if not found:
        raise SystemExit("the registry search finds nobody in the volume: its name tokens are missing")


def _volume(server: national_server.Server, scale: float) -> Engine:
    """The database of the national volume: reused from a kept directory built at this scale, else built."""
    if server.built_scale == scale:
        url = make_url(server.url).set(database=DATABASE).render_as_string(hide_password=False)
        db = make_engine(url)
        bootstrap.migrate(db)  # a volume built before a new migration gets it, backfill included
        print(f"reusing the national volume at scale {scale} in {server.keep}")
        return db
    url = _national_database(server.url)
    db, _volume, _built = prepare(url, scale)
    server.mark_built(scale)
    return db


def _baseline(db: Engine, who: Subjects, repeat: int, budget: float) -> dict[str, list[float]]:
    """The old queries, without the national indexes and with the old area rule."""
    drop_new_indexes(db)
    saved = _patch_within(naive.within)
    try:
        return {
            q.name: measure(db, q.naive, q.users(who), repeat, budget) for q in QUERIES if q.naive is not None
        }
    finally:
        for name, original in saved.items():
            sys.modules[name].within = original  # type: ignore[attr-defined]


def _national_database(url: str) -> str:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        for key, value in SERVER_SETTINGS.items():
            connection.execute(f"ALTER SYSTEM SET {key} = {value}")
        connection.execute("SELECT pg_reload_conf()")
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
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
    calls = min(map(len, baseline.values()), default=0), min(map(len, results.values()))
    print(f"(calls per query: baseline at least {calls[0]}, new at least {calls[1]}; p95 of few calls = max)")


if __name__ == "__main__":
    main()
