"""Filtered list pages at national volume: each list's first page with filters (reference, commune, step,
deadline state, dates, another sort) against the same list's unfiltered first page, measured in the same run
on the PostgreSQL national history of bench/national.py (its indexes in place).

Run with `.venv/bin/python bench/lists.py --scale 0.1` (about two minutes on 2 cores); --scale 1 for the
full national volume.
"""

import argparse
import statistics
import sys
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national import (  # noqa: E402
    NOW,
    _national_database,
    create_new_indexes,
    measure,
    percentile,
    prepare,
    subjects,
)
from tests.pg_server import start_postgres  # noqa: E402
from webapp.domain.cases import Case  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.domain.tasks import OPEN, Task  # noqa: E402
from webapp.services.casework.listing import ListSpec, parse_list  # noqa: E402
from webapp.services.casework.queries import CASE_LIST, INBOX_LIST, case_list, inbox  # noqa: E402
from webapp.services.deadlines.supervision import WATCH_LIST, watch_page  # noqa: E402
from webapp.services.grievances.listing import GRIEVANCE_LIST, grievance_page  # noqa: E402

Run = Callable[[Session, User], Any]


def _cases(args: Mapping[str, str]) -> Run:
    return lambda s, u: case_list(s, user=u, listing=parse_list(CASE_LIST, args), now=NOW)


def _inbox(args: Mapping[str, str]) -> Run:
    return lambda s, u: inbox(s, user=u, now=NOW, listing=parse_list(INBOX_LIST, args))


def _watch(args: Mapping[str, str]) -> Run:
    return lambda s, u: watch_page(s, user=u, now=NOW, listing=parse_list(WATCH_LIST, args))


def _grievances(args: Mapping[str, str]) -> Run:
    return lambda s, u: grievance_page(s, user=u, now=NOW, listing=parse_list(GRIEVANCE_LIST, args))


def _samples(session: Session, district: str) -> dict[str, str]:
    """A reference, a commune and a step of the district, for filters that find something."""
    case = session.scalars(select(Case).where(Case.area_code.startswith(district)).limit(1)).one()
    step = session.scalar(select(Task.spec_name).where(Task.status == OPEN).limit(1)) or "check_documents"
    return {"reference": case.reference, "commune": case.area_code[:6], "step": step}


def plan(sample: Mapping[str, str]) -> list[tuple[str, ListSpec, Run]]:
    day = (NOW - timedelta(days=14)).date().isoformat()
    return [
        ("case list, first page (baseline)", CASE_LIST, _cases({})),
        ("case list, reference", CASE_LIST, _cases({"q": sample["reference"]})),
        ("case list, part of a reference", CASE_LIST, _cases({"q": sample["reference"][-5:]})),
        ("case list, commune + open", CASE_LIST, _cases({"commune": sample["commune"], "status": "open"})),
        ("case list, at a step", CASE_LIST, _cases({"step": sample["step"]})),
        ("case list, breached", CASE_LIST, _cases({"sla": "breached"})),
        ("case list, opened in two weeks", CASE_LIST, _cases({"from": day})),
        ("case list, by reference, page 3", CASE_LIST, _cases({"sort": "reference", "page": "3"})),
        ("inbox, first page (baseline)", INBOX_LIST, _inbox({})),
        ("inbox, breached + commune", INBOX_LIST, _inbox({"sla": "breached", "commune": sample["commune"]})),
        ("inbox, at a step, oldest first", INBOX_LIST, _inbox({"step": sample["step"], "sort": "oldest"})),
        ("deadline page (baseline)", WATCH_LIST, _watch({})),
        (
            "deadline page, breached + commune",
            WATCH_LIST,
            _watch({"sla": "breached", "commune": sample["commune"]}),
        ),
        ("grievances, first page (baseline)", GRIEVANCE_LIST, _grievances({})),
        ("grievances, received + level 1", GRIEVANCE_LIST, _grievances({"status": "received", "level": "1"})),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1 = 1 M closed cases, 3.2 M task rows")
    parser.add_argument("--repeat", type=int, default=20, help="calls per list")
    args = parser.parse_args()
    server = start_postgres()
    try:
        url = _national_database(server.url)
        db, _volume, _built = prepare(url, args.scale)
        create_new_indexes(db, url)
        who = subjects(db, 10)
        with Session(db) as session:
            supervisor = session.get(User, who.supervisors[0])
            assert supervisor is not None
            sample = _samples(session, supervisor.scope_code)
        print(f"\n{'server time, ms (district supervisors)':48} {'p50':>8} {'p95':>8}")
        for name, _spec, run in plan(sample):
            users = who.officers if name.startswith("inbox") else who.supervisors
            measure(db, run, users, 2, 1.0)  # warm
            times = measure(db, run, users, args.repeat, 30.0)
            print(f"{name:48} {statistics.median(times) * 1000:>8.1f} {percentile(times, 0.95) * 1000:>8.1f}")
        db.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
