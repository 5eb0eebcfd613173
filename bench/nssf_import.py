"""An employer's list of 5,000 employees: checked row by row (fields, villages, the registry, duplicates by ID
number and by the registry's look-alike check) and imported as one declaration, on SQLite and PostgreSQL,
against a per-row insert of the same people and members (no checks, a flush per row) in the same run. The
goal: under 10 seconds. The national ID check then runs in the worker, a chunk at a time: timed apart.

Run with `.venv/bin/python bench/nssf_import.py --rows 5000`.
"""

import argparse
import io
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.db import make_engine  # noqa: E402
from webapp.domain.areas import Area, AreaLevel  # noqa: E402
from webapp.domain.nssf import Enterprise, EnterpriseStatus, Member, MemberStatus  # noqa: E402
from webapp.domain.people import User  # noqa: E402
from webapp.domain.registry import Person  # noqa: E402
from webapp.domain.sla import WorkflowTimer  # noqa: E402
from webapp.domain.text import SafeCsvWriter  # noqa: E402
from webapp.services.assembly import bootstrap, install  # noqa: E402
from webapp.services.assembly.seed import seed_demo_users  # noqa: E402
from webapp.services.deadlines.calendars import create_process_engine  # noqa: E402
from webapp.services.nssf import checks  # noqa: E402
from webapp.services.nssf.adapters.fake import fake_national_id  # noqa: E402
from webapp.services.nssf.members import COLUMNS, check_list, declare_employees  # noqa: E402
from webapp.services.platform.jobs import WorkerContext  # noqa: E402
from webapp.settings import Settings  # noqa: E402

TODAY = date(2026, 11, 27)


def prepare(url: str) -> None:
    db = make_engine(url)
    install()
    bootstrap.migrate(db)
    with Session(db) as session, session.begin():
        bootstrap.load_reference_data(
            session, Settings(database_url=url, secret_key="bench"), provinces=("17",)
        )
        bootstrap.deploy_workflows(session, create_process_engine(), ROOT / "workflows")
        seed_demo_users(session)
        session.add(
            Enterprise(
                name_km="ក្រុមហ៊ុនកាត់ដេរ",
                name_latin="Bench Garment Co., Ltd.",
                legal_form="private_limited",
                activity="garment",
                area_code="170101",
                employee_count=5000,
                registration_source="obr",
                employer_number="EMP-17-BENCH",
                status=EnterpriseStatus.REGISTERED,
            )
        )
    db.dispose()


def employee_list(session: Session, rows: int) -> str:
    villages = session.scalars(
        select(Area.code).where(Area.level == AreaLevel.VILLAGE, Area.code.like("1701%")).order_by(Area.code)
    ).all()
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(COLUMNS)
    for index, person in enumerate(fake_national_id().sample(rows)):
        writer.writerow(
            [
                person.id_number,
                person.name_km,
                person.name_latin,
                person.sex,
                person.date_of_birth.isoformat(),
                villages[index % len(villages)],
                "2026-01-05",
                "",
            ]
        )
    return out.getvalue()


def sala_import(url: str, rows: int) -> tuple[float, float, float, int]:
    """Seconds to check the list, to import it (one transaction), for the worker to check the ID numbers
    (the local stand-in service), and the members imported."""
    db, engine = make_engine(url), create_process_engine()
    with Session(db) as session, session.begin():
        text = employee_list(session, rows)
        officer = session.scalars(select(User).where(User.username == "nssf.reg.siemreap")).one()
        began = time.perf_counter()
        report = check_list(session, text=text, actor=officer)
        checked = time.perf_counter() - began
        began = time.perf_counter()
        case = declare_employees(
            session, engine=engine, actor=officer, employer_number="EMP-17-BENCH", report=report, today=TODAY
        )
        session.flush()
        imported = time.perf_counter() - began
        count, case_id = len(report.good), case.id
    with Session(db) as session, session.begin():
        began = time.perf_counter()
        wait = session.scalar(select(WorkflowTimer.engine_task_id).where(WorkflowTimer.case_id == case_id))
        checks.verify_members(session, {"case_id": case_id, "wait": wait}, WorkerContext("bench"))
        id_checked = time.perf_counter() - began
    db.dispose()
    return checked, imported, id_checked, count


def per_row_baseline(url: str, rows: int) -> float:
    """The same people and members, one insert and flush per row, no checks; rolled back afterwards."""
    db = make_engine(url)
    with Session(db) as session:
        enterprise_id = session.scalar(
            select(Enterprise.id).where(Enterprise.employer_number == "EMP-17-BENCH")
        )
        people = fake_national_id().sample(rows)
        began = time.perf_counter()
        for index, record in enumerate(people):
            person = Person(
                spid=f"B{index:09d}",
                name_km=record.name_km,
                name_latin=record.name_latin,
                sex=record.sex,
                date_of_birth=record.date_of_birth,
                id_kind="national_id",
                id_number=f"9{record.id_number}",
                village_code="17010101",
                equity_card="none",
            )
            session.add(person)
            session.flush()
            session.add(
                Member(
                    person_id=person.id,
                    enterprise_id=enterprise_id,
                    kind="employee",
                    start_date=TODAY,
                    schemes="occupational_risk,health_care,pension",
                    status=MemberStatus.DECLARED,
                    area_code="17010101",
                )
            )
            session.flush()
        elapsed = time.perf_counter() - began
        session.rollback()
        session.execute(delete(Member).where(Member.enterprise_id == -1))
    db.dispose()
    return elapsed


def run(name: str, url: str, rows: int) -> None:
    prepare(url)
    baseline = per_row_baseline(url, rows)
    checked, imported, id_checked, count = sala_import(url, rows)
    total = checked + imported
    print(
        f"{name:12} {count:>6} rows  check {checked:6.2f} s  import {imported:6.2f} s  total {total:6.2f} s  "
        f"per-row insert baseline {baseline:6.2f} s  {'OK' if total < 10 else 'OVER 10 s'}  "
        f"then the worker's ID check {id_checked:6.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args.rows)
    from tests.pg_server import start_postgres

    server = start_postgres()
    try:
        run("PostgreSQL", server.url, args.rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
