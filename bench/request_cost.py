"""What one request of each kind bench/load.py sends costs the server: wall time, CPU time and SQL statements,
measured in-process (Flask's test client, one request at a time, so nothing queues) on PostgreSQL with the
load's officers and cases. `--profile KIND` prints that kind's cProfile top functions.

Run with `.venv/bin/python bench/request_cost.py` (starts and fills its own PostgreSQL, about a minute), or
`--url postgresql+psycopg://...` on a database bench/load.py's `prepare` already filled.
"""

import argparse
import cProfile
import io
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import FORMS, PASSWORD, TOKEN, VERSION, prepare  # noqa: E402
from tests.pg_server import start_postgres  # noqa: E402
from webapp.app import create_app  # noqa: E402
from webapp.db import make_engine  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.settings import Settings  # noqa: E402

SEARCHES = ("Sok", "L0", "SSDM", "សុខ")


class Meter:
    """Statements, wall and CPU seconds per request kind."""

    def __init__(self) -> None:
        self.statements = 0
        self.figures: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
        self.profiles: dict[str, cProfile.Profile] = {}
        self.profiled: set[str] = set()
        self.dump = ""  # a folder for the profiles (pstats files), to read further with pstats

    def count(self, *_args: Any) -> None:
        self.statements += 1

    def measure(self, kind: str, call: Callable[[], Any]) -> Any:
        profile = self.profiles.setdefault(kind, cProfile.Profile()) if kind in self.profiled else None
        before, wall, cpu = self.statements, time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        result = call()
        if profile is not None:
            profile.disable()
        self.figures[kind].append(
            (time.perf_counter() - wall, time.process_time() - cpu, self.statements - before)
        )
        return result

    def report(self) -> None:
        print(f"{'request':<22} {'n':>4} {'wall p50':>9} {'wall p95':>9} {'cpu mean':>9} {'statements':>10}")
        for kind, rows in sorted(self.figures.items()):
            walls = sorted(r[0] for r in rows)
            statements = sorted(r[2] for r in rows)
            print(
                f"{kind:<22} {len(rows):>4} {statistics.median(walls) * 1000:>7.1f}ms "
                f"{walls[int(0.95 * (len(walls) - 1))] * 1000:>7.1f}ms "
                f"{statistics.mean(r[1] for r in rows) * 1000:>7.1f}ms "
                f"{statistics.median(statements):>5.0f} (max {statements[-1]})"
            )
        for kind, profile in self.profiles.items():
            if self.dump:
                profile.dump_stats(str(Path(self.dump) / f"{kind.replace(' ', '_')}.prof"))
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(45)
            print(f"\n--- profile of {kind} ---\n{out.getvalue()}")


class Officer:
    """One signed-in officer on the test client, doing what bench/load.py's officers do."""

    def __init__(self, app: Any, meter: Meter, username: str) -> None:
        self.client, self.meter = app.test_client(), meter
        page = self.get("sign-in page", "/sign-in")
        token = TOKEN.search(page)
        form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        self.post("sign in", "/sign-in", form)

    def get(self, kind: str, path: str) -> str:
        response = self.meter.measure(kind, lambda: self.client.get(path))
        if response.status_code >= 500:
            raise RuntimeError(f"{kind} {path}: {response.status_code}")
        return str(response.get_data(as_text=True))

    def post(self, kind: str, path: str, form: dict[str, str]) -> int:
        response = self.meter.measure(kind, lambda: self.client.post(path, data=form))
        if response.status_code >= 500:
            raise RuntimeError(f"{kind} {path}: {response.status_code}")
        return int(response.status_code)

    def work(self, chance: random.Random) -> None:
        page = self.get("inbox", "/")
        mine = re.findall(r'id="my-tasks".*?</section>', page, re.S)
        my_tasks = re.findall(r'href="/tasks/(\d+)"', mine[0]) if mine else []
        claimable = re.findall(r'action="/tasks/(\d+)/claim"', page)
        token = TOKEN.search(page)
        if my_tasks:
            self.submit(int(my_tasks[0]))
        elif claimable and token:
            self.post("claim", f"/tasks/{claimable[0]}/claim", {"csrf_token": token.group(1)})
        cases = re.findall(r'href="/cases/(\d+)"', page)
        if cases:
            self.get("case page", f"/cases/{chance.choice(cases)}")
        self.get("case list", "/cases/")
        self.get("case search", f"/cases/?q={chance.choice(SEARCHES)}")
        self.get("registry search", f"/search?q={chance.choice(SEARCHES)}")

    def submit(self, task_id: int) -> None:
        page = self.get("task page", f"/tasks/{task_id}")
        token, version = TOKEN.search(page), VERSION.search(page)
        name = next((n for n in FORMS if f">{n}<" in page), None)
        if token is None or name is None:
            return
        form = {**FORMS[name], "csrf_token": token.group(1)}
        if version:
            form["case_version"] = version.group(1)
        self.post("submit", f"/tasks/{task_id}", form)

    def supervise(self) -> None:
        self.get("inbox (supervisor)", "/")
        self.get("deadline page", "/sla/watch")
        self.get("SLA report", "/sla/report")
        self.get("grievance report", "/grievances/report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a database bench/load.py's prepare filled; else one is built")
    parser.add_argument("--volume-scale", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=6, help="rounds of every officer's actions")
    parser.add_argument("--officers", type=int, default=8, help="officers of each kind")
    parser.add_argument("--profile", action="append", default=[], help="request kind to profile")
    parser.add_argument("--dump", default="", help="folder to write the profiles to")
    args = parser.parse_args()
    server = None if args.url else start_postgres()
    url = args.url or server.url  # type: ignore[union-attr]
    try:
        if server is not None:
            prepare(url, args.volume_scale)
        run(url, args)
    finally:
        if server is not None:
            server.stop()


def run(url: str, args: argparse.Namespace) -> None:
    db = make_engine(url)
    with db.connect() as connection:
        names = connection.scalars(select(User.username).where(User.username.like("load.%"))).all()
    db.dispose()
    workers = [n for n in names if ".district_ssdm_assistant." in n][: args.officers]
    workers += [n for n in names if ".back_office_social_affairs." in n][: args.officers]
    supervisors = [n for n in names if ".district_supervisor." in n][: args.officers]
    with tempfile.TemporaryDirectory() as instance:
        settings = Settings(database_url=url, secret_key="request-cost", instance_path=Path(instance))
        app = create_app(settings)
        meter = Meter()
        event.listen(app.extensions["sala"].db_engine, "before_cursor_execute", meter.count)
        crowd = [Officer(app, meter, name) for name in workers]
        bosses = [Officer(app, meter, name) for name in supervisors]
        warm = Meter()  # the first round fills caches and compiles templates: measured apart, not reported
        chance = random.Random(3)
        for officer in crowd + bosses:
            officer.meter = warm
        _round(crowd, bosses, chance)
        meter.profiled, meter.dump = set(args.profile), args.dump
        for officer in crowd + bosses:
            officer.meter = meter
        for _ in range(args.rounds):
            _round(crowd, bosses, chance)
        meter.report()


def _round(crowd: list[Officer], bosses: list[Officer], chance: random.Random) -> None:
    for officer in crowd:
        officer.work(chance)
    for boss in bosses:
        boss.supervise()


if __name__ == "__main__":
    main()
