"""Engine throughput: cases started and tasks completed per second through Sala's services, on SQLite and
PostgreSQL, against the raw SpiffWorkflow baseline (the same process in memory, no database) in the same run.

Run with `make bench` (or `.venv/bin/python bench/engine_throughput.py --cases 200`).
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
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


def raw_baseline(cases: int) -> tuple[float, float]:
    """Start, complete every human task, serialize and deserialize between steps: SpiffWorkflow alone."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_files([str(WORKFLOWS / "ssdm_programme_application.bpmn")])
    parser.add_dmn_files([str(WORKFLOWS / "programme_eligibility.dmn")])
    spec = parser.get_spec("ssdm_programme_application")
    subprocesses = parser.get_subprocess_specs("ssdm_programme_application")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    start_times, step_times = [], []
    for _ in range(cases):
        began = time.perf_counter()
        # The process's timers call working_deadline(), so even the bare baseline needs that one helper.
        workflow = BpmnWorkflow(spec, subprocesses, script_engine=RAW_SCRIPTS)
        workflow.do_engine_steps()
        state = serializer.serialize_json(workflow)
        state = _raw_step(serializer, state, INTAKE)  # opening a case in Sala also completes the intake
        start_times.append(time.perf_counter() - began)
        for data in RAW_STEPS[1:]:
            began = time.perf_counter()
            state = _raw_step(serializer, state, data)
            step_times.append(time.perf_counter() - began)
    return 1 / statistics.mean(start_times), 1 / statistics.mean(step_times)


def _raw_step(serializer: BpmnWorkflowSerializer, state: str, data: dict) -> str:
    workflow = serializer.deserialize_json(state)
    workflow.script_engine = RAW_SCRIPTS
    (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()
    return serializer.serialize_json(workflow)


STATEMENTS: dict[str, float] = {}  # statements per case started and per task done, by run


def service_throughput(url: str, cases: int, name: str = "") -> tuple[float, float]:
    """The same cases through Sala's services, one committed transaction per request, as the web does."""
    db = make_engine(url)
    sent = [0]

    @event.listens_for(db, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        sent[0] += 1

    engine = create_process_engine()
    settings = Settings(database_url=url, secret_key="bench")
    install()
    bootstrap.migrate(db)
    with Session(db) as session, session.begin():
        # The provinces the demo staff work in (NSSF has offices in Phnom Penh and Kep).
        bootstrap.load_reference_data(session, settings, provinces=("17", "12", "23"))
        bootstrap.deploy_workflows(session, engine, WORKFLOWS)
        seed_demo_users(session)
    case_ids = []
    sent[0] = 0
    began = time.perf_counter()
    for number in range(cases):
        with Session(db) as session, session.begin():
            case_ids.append(_open(session, engine, number).id)
    start_rate = cases / (time.perf_counter() - began)
    STATEMENTS[f"{name}: per case started"] = sent[0] / cases
    sent[0] = 0
    began = time.perf_counter()
    for username, data in STEPS:
        for case_id in case_ids:
            with Session(db) as session, session.begin():
                _work(session, engine, case_id, username, data)
    step_rate = cases * len(STEPS) / (time.perf_counter() - began)
    STATEMENTS[f"{name}: per task done"] = sent[0] / (cases * len(STEPS))
    db.dispose()
    return start_rate, step_rate


def _open(session: Session, engine: ProcessEngine, number: int):  # type: ignore[no-untyped-def]
    actor = session.scalar(select(User).where(User.username == "ca.charchhuk"))
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


def _work(session: Session, engine: ProcessEngine, case_id: int, username: str, data: dict) -> None:
    actor = session.scalar(select(User).where(User.username == username))
    task = session.scalar(select(Task).where(Task.case_id == case_id, Task.status == OPEN))
    claim_task(session, task_id=task.id, actor=actor)
    submit_task(session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=None)


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


def _case_ms(row: dict[str, float]) -> float:
    """A whole case, opened and taken through its three tasks: the issue's measure of the engine path."""
    return 1000 / row["starts_per_s"] + len(STEPS) * 1000 / row["tasks_per_s"]


def measure(name: str, run: Callable[[], tuple[float, float]]) -> dict[str, float]:
    starts, steps = run()
    return {"starts_per_s": round(starts, 1), "tasks_per_s": round(steps, 1), "name": name}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    results = [measure("raw SpiffWorkflow (memory, no database)", lambda: raw_baseline(args.cases))]
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{tmp}/bench.sqlite3"
        results.append(
            measure("Sala services on SQLite", lambda: service_throughput(sqlite_url, args.cases, "SQLite"))
        )
    from tests.pg_server import start_postgres

    server = start_postgres()
    try:
        results.append(
            measure(
                "Sala services on PostgreSQL 15",
                lambda: service_throughput(server.url, args.cases, "PostgreSQL"),
            )
        )
        with calendars_rebuilt_every_step():
            url = server.create_database("sala_before")
            before = "PostgreSQL, calendars rebuilt each step"
            results.append(measure(before, lambda: service_throughput(url, args.cases, "PostgreSQL before")))
    finally:
        server.stop()
    baseline = results[0]
    print(f"{'':40} {'cases started/s':>16} {'tasks done/s':>14} {'ratio to raw':>14} {'a whole case':>18}")
    for row in results:
        ratio_start = row["starts_per_s"] / baseline["starts_per_s"]
        ratio_steps = row["tasks_per_s"] / baseline["tasks_per_s"]
        whole = _case_ms(row)
        print(
            f"{row['name']:40} {row['starts_per_s']:>16} {row['tasks_per_s']:>14} "
            f"{ratio_start:>6.2f} / {ratio_steps:.2f} {whole:>9.1f} ms {_case_ms(baseline) / whole:>5.2f}"
        )
    for name, count in STATEMENTS.items():
        print(f"statements {name:42} {count:.1f}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
