"""Engine throughput: cases started and tasks completed per second through Sala's services, on SQLite and
PostgreSQL, against the raw SpiffWorkflow baseline (the same process in memory, no database) in the same run.

Run with `make bench` (or `.venv/bin/python bench/engine_throughput.py --cases 200 --rounds 5`). Every
contender warms up untimed first (the raw baseline too: its first cases pay one-time costs), then the
contenders take turns round by round, and each ratio is the median of the rounds' own ratios.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from webapp.db import make_engine  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.domain.tasks import OPEN, Task  # noqa: E402
from webapp.engine import ProcessEngine  # noqa: E402
from webapp.services.applications.intake import Applicant, Household, open_application  # noqa: E402
from webapp.services.assembly import bootstrap, install  # noqa: E402
from webapp.services.assembly.seed import seed_demo_users  # noqa: E402
from webapp.services.casework.tasks import claim_task, submit_task  # noqa: E402
from webapp.services.deadlines.calendars import CalendarBook, create_process_engine, engine_helpers  # noqa: E402
from webapp.services.platform.auth import load_user  # noqa: E402
from webapp.settings import Settings  # noqa: E402

WORKFLOWS = ROOT / "workflows"
INTAKE = {
    "programme": "fp_elderly",
    "sector": "social_affairs",
    "age": 70,
    "sex": "female",
    "equity_card": "poor_1",
    "disability": False,
    "pregnant": False,
    "living_with_hiv": False,
    "enrolled_in_school": False,
    "household_size": 3,
}
STEPS = (
    ("ssdm.ac", {"documents_complete": "yes", "missing_document": None, "note": ""}),
    (
        "bo.social.ac",
        {"decision": "approve", "justification": "Meets the rules.", "benefit_start": "2026-12-01"},
    ),
    ("iso.ac", {"announced_on": "2026-11-20", "announcement_place": "Commune hall", "note": ""}),
)
RAW_STEPS = (INTAKE, *(data for _, data in STEPS))
RAW_SCRIPTS = PythonScriptEngine(environment=TaskDataEnvironment(engine_helpers(CalendarBook())))


@dataclass(frozen=True)
class Timings:
    start: float  # seconds per case started
    step: float  # seconds per task done

    @property
    def case(self) -> float:
        """A whole case, opened and taken through its three tasks: the issue's measure of the engine path."""
        return self.start + len(STEPS) * self.step


class RawSpiff:
    """Start, complete every human task, serialize and deserialize between steps: SpiffWorkflow alone."""

    name = "raw SpiffWorkflow (memory, no database)"

    def __init__(self) -> None:
        parser = SpiffBpmnParser()
        parser.add_bpmn_files([str(WORKFLOWS / "ssdm_programme_application.bpmn")])
        parser.add_dmn_files([str(WORKFLOWS / "programme_eligibility.dmn")])
        self.spec = parser.get_spec("ssdm_programme_application")
        self.subprocesses = parser.get_subprocess_specs("ssdm_programme_application")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def run(self, cases: int) -> Timings:
        start_times, step_times = [], []
        for _ in range(cases):
            began = time.perf_counter()
            # The process's timers call working_deadline(), so even the bare baseline needs that one helper.
            workflow = BpmnWorkflow(self.spec, self.subprocesses, script_engine=RAW_SCRIPTS)
            workflow.do_engine_steps()
            state = self.serializer.serialize_json(workflow)
            state = _raw_step(
                self.serializer, state, INTAKE
            )  # opening a case in Sala also completes the intake
            start_times.append(time.perf_counter() - began)
            for data in RAW_STEPS[1:]:
                began = time.perf_counter()
                state = _raw_step(self.serializer, state, data)
                step_times.append(time.perf_counter() - began)
        return Timings(statistics.mean(start_times), statistics.mean(step_times))


def _raw_step(serializer: BpmnWorkflowSerializer, state: str, data: dict) -> str:
    workflow = serializer.deserialize_json(state)
    workflow.script_engine = RAW_SCRIPTS
    (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()
    return serializer.serialize_json(workflow)


class SalaServices:
    """The same cases through Sala's services, one committed transaction per request, as the web does."""

    def __init__(self, name: str, url: str, patch: Callable[[], AbstractContextManager[None]] | None = None):
        self.name, self.patch, self.numbered = name, patch, 0
        self.db = make_engine(url)
        self.sent, self.opened, self.done = 0, 0, 0

        @event.listens_for(self.db, "before_cursor_execute")
        def _count(*_args: Any) -> None:
            self.sent += 1

        self.engine = create_process_engine()
        install()
        bootstrap.migrate(self.db)
        with Session(self.db) as session, session.begin():
            # The provinces the demo staff work in (NSSF has offices in Phnom Penh and Kep).
            settings = Settings(database_url=url, secret_key="bench")
            bootstrap.load_reference_data(session, settings, provinces=("17", "12", "23"))
            bootstrap.deploy_workflows(session, self.engine, WORKFLOWS)
            seed_demo_users(session)
        self.statements = {"per case started": 0, "per task done": 0}

    def run(self, cases: int) -> Timings:
        with self.patch() if self.patch else nullcontext():
            return self._run(cases)

    def _run(self, cases: int) -> Timings:
        case_ids, sent = [], self.sent
        began = time.perf_counter()
        for _ in range(cases):
            with Session(self.db) as session, session.begin():
                case_ids.append(_open(session, self.engine, self.numbered).id)
            self.numbered += 1
        start = (time.perf_counter() - began) / cases
        self.statements["per case started"] += self.sent - sent
        sent = self.sent
        began = time.perf_counter()
        for username, data in STEPS:
            for case_id in case_ids:
                with Session(self.db) as session, session.begin():
                    _work(session, self.engine, case_id, username, data)
        step = (time.perf_counter() - began) / (cases * len(STEPS))
        self.statements["per task done"] += self.sent - sent
        self.opened, self.done = self.opened + cases, self.done + cases * len(STEPS)
        return Timings(start, step)


def _open(session: Session, engine: ProcessEngine, number: int):  # type: ignore[no-untyped-def]
    actor = _signed_in(session, "ca.charchhuk")
    applicant = Applicant(
        name_km="សុខ ស្រីមុំ",
        name_latin="Sok Sreymom",
        sex="female",
        date_of_birth=date(1950, 1, 1),
        id_kind="national_id",
        id_number=f"B{number:08d}",
        village_code="17010101",
        equity_card="poor_1",
        disability=False,
    )
    return open_application(
        session,
        engine=engine,
        actor=actor,
        applicant=applicant,
        household=Household(3, False, False, False),
        programme_code="fp_elderly",
        documents=[],
        today=date(2026, 11, 20),
        max_upload_bytes=5_000_000,
    )


# The officer's click on the case's open task: the harness's own look-up, built once (the web loads the
# task by its id, through the mapper's own prebuilt statement).
_OPEN_TASK = select(Task).where(Task.case_id == bindparam("case_id"), Task.status == OPEN)


def _work(session: Session, engine: ProcessEngine, case_id: int, username: str, data: dict) -> None:
    actor = _signed_in(session, username)
    task = session.scalar(_OPEN_TASK, {"case_id": case_id})
    claim_task(session, task_id=task.id, actor=actor)
    submit_task(session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=None)


_ACCOUNT_IDS: dict[tuple[int, str], str] = {}


def _signed_in(session: Session, username: str) -> User:
    """The officer as a request loads them: by the id their session cookie carries, through the web's loader
    (the id itself is looked up once per database, as signing in does)."""
    key = (id(session.get_bind()), username)
    if key not in _ACCOUNT_IDS:
        _ACCOUNT_IDS[key] = str(session.scalar(select(User.id).where(User.username == username)))
    actor = load_user(session, _ACCOUNT_IDS[key])
    assert actor is not None
    return actor


@contextmanager
def calendars_rebuilt_every_step() -> Iterator[None]:
    """The services before the calendar fingerprint: every step reads and builds every calendar again."""
    from sqlalchemy.orm import selectinload

    from webapp.domain.sla import AreaCalendar, WorkCalendar
    from webapp.services.deadlines import calendars

    def rebuild(session: Session) -> Any:
        rows = session.scalars(select(WorkCalendar).options(selectinload(WorkCalendar.exceptions))).all()
        offices = session.execute(
            select(AreaCalendar.area_code, WorkCalendar.name).join(
                WorkCalendar, WorkCalendar.id == AreaCalendar.calendar_id
            )
        ).all()
        return calendars._CalendarTables(
            calendars={row.name: calendars.to_working_calendar(row) for row in rows}, offices=dict(offices)
        )

    original = calendars._calendar_tables
    calendars._calendar_tables = rebuild  # type: ignore[assignment]
    try:
        yield
    finally:
        calendars._calendar_tables = original  # type: ignore[assignment]


def run_rounds(contenders: list[Any], cases: int, rounds: int, warmup: int) -> dict[str, list[Timings]]:
    """Each contender warms up untimed, then the rounds take turns: every round runs each contender on
    `cases / rounds` cases, so a machine that slows down or speeds up mid-run weighs on all of them alike."""
    for contender in contenders:
        contender.run(warmup)
    timings: dict[str, list[Timings]] = {contender.name: [] for contender in contenders}
    for _ in range(rounds):
        for contender in contenders:
            timings[contender.name].append(contender.run(max(1, cases // rounds)))
    return timings


def report(timings: dict[str, list[Timings]], contenders: list[Any]) -> list[dict[str, Any]]:
    """Rates from the median round; ratios to raw are medians of each round's own ratio."""
    raw = timings[RawSpiff.name]
    heads = f"{'cases started/s':>16} {'tasks done/s':>13} {'ratio to raw':>13} {'a whole case':>13}"
    print(f"{'':40} {heads}  ratio")
    rows = []
    for name, runs in timings.items():
        start, step = statistics.median(t.start for t in runs), statistics.median(t.step for t in runs)
        ratios = [
            (r.start / t.start, r.step / t.step, r.case / t.case) for r, t in zip(raw, runs, strict=True)
        ]
        start_ratio, step_ratio, case_ratio = (
            statistics.median(column) for column in zip(*ratios, strict=True)
        )
        lowest, highest = min(r[2] for r in ratios), max(r[2] for r in ratios)
        print(
            f"{name:40} {1 / start:>16.1f} {1 / step:>13.1f} {start_ratio:>6.2f} / {step_ratio:.2f} "
            f"{1000 * (start + len(STEPS) * step):>10.1f} ms  {case_ratio:.2f} ({lowest:.2f}-{highest:.2f})"
        )
        rows.append({"name": name, "starts_per_s": round(1 / start, 1), "tasks_per_s": round(1 / step, 1)})
        rows[-1]["case_ratio"] = round(case_ratio, 2)
    for contender in contenders:
        for what, count in getattr(contender, "statements", {}).items():
            per = contender.opened if what == "per case started" else contender.done
            print(f"statements {contender.name + ':':40} {what:18} {count / per:.1f}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="cases per contender, over all rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=10, help="untimed cases per contender first")
    args = parser.parse_args()
    from tests.pg_server import start_postgres

    server = start_postgres()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            contenders: list[Any] = [
                RawSpiff(),
                SalaServices("Sala services on SQLite", f"sqlite:///{tmp}/bench.sqlite3"),
                SalaServices("Sala services on PostgreSQL 15", server.url),
                SalaServices(
                    "PostgreSQL, calendars rebuilt each step",
                    server.create_database("sala_before"),
                    patch=calendars_rebuilt_every_step,
                ),
            ]
            rows = report(run_rounds(contenders, args.cases, args.rounds, args.warmup), contenders)
            for contender in contenders[1:]:
                contender.db.dispose()
    finally:
        server.stop()
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
