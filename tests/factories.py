"""Small factory functions with sensible defaults for service and web tests."""

from dataclasses import replace
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.applications.intake import Applicant, Household, open_application
from webapp.services.casework.documents import Upload
from webapp.services.casework.tasks import claim_task, submit_task

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 20)
_ids = count(1)


def user(session: Session, username: str) -> User:
    found = session.scalar(select(User).where(User.username == username))
    assert found is not None, username
    return found


def applicant(**overrides: Any) -> Applicant:
    base = Applicant(
        name_km="សុខ ស្រីមុំ",
        name_latin="Sok Sreymom",
        sex="female",
        date_of_birth=date(1950, 3, 14),
        id_kind="national_id",
        id_number=f"0101{next(_ids):06d}",
        village_code="17010101",
        equity_card="poor_1",
        disability=False,
    )
    return replace(base, **overrides)


def household(**overrides: Any) -> Household:
    return replace(
        Household(household_size=4, pregnant=False, living_with_hiv=False, enrolled_in_school=False),
        **overrides,
    )


def family_book() -> Upload:
    return Upload(
        field="family_book",
        kind="family_book",
        filename="family book.pdf",
        content=(FIXTURES / "family_book.pdf").read_bytes(),
    )


def open_case(
    session: Session,
    engine: ProcessEngine,
    *,
    actor: str = "ca.charchhuk",
    programme: str = "fp_elderly",
    documents: list[Upload] | None = None,
    **person: Any,
) -> Case:
    household_fields = {
        k: person.pop(k) for k in ("pregnant", "living_with_hiv", "enrolled_in_school") if k in person
    }
    return open_application(
        session,
        engine=engine,
        actor=user(session, actor),
        applicant=applicant(**person),
        household=household(**household_fields),
        programme_code=programme,
        documents=[family_book()] if documents is None else documents,
        today=TODAY,
        max_upload_bytes=5 * 1024 * 1024,
    )


def open_task(session: Session, case: Case) -> Task:
    session.expire_all()
    tasks = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN)).all()
    assert len(tasks) == 1, [t.name for t in tasks]
    return tasks[0]


def work(session: Session, engine: ProcessEngine, case: Case, username: str, **data: Any) -> Task:
    """Claims the case's open task as `username` and submits `data`."""
    task = open_task(session, case)
    actor = user(session, username)
    claim_task(session, task_id=task.id, actor=actor)
    return submit_task(session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=None)


DOCUMENTS_OK = {"documents_complete": "yes", "missing_document": None, "note": ""}
APPROVE = {
    "decision": "approve",
    "justification": "Meets the programme rules.",
    "benefit_start": "2026-12-01",
}
REJECT = {"decision": "reject", "justification": "The household receives this benefit already."}
ANNOUNCE = {"announced_on": "2026-11-20", "announcement_place": "Char Chhuk commune hall", "note": ""}


def drain_jobs(session: Session) -> int:
    """Runs every queued job in the test's session, as the worker would after the request commits."""
    from datetime import timedelta

    from webapp.domain.base import utcnow
    from webapp.services.assembly.worker import HANDLERS
    from webapp.services.platform.jobs import WorkerContext, run_job, take_job

    context, ran = WorkerContext("tests"), 0
    while (job := take_job(session, worker_id="tests", now=utcnow() + timedelta(days=1))) is not None:
        run_job(session, job, HANDLERS, context)
        ran += 1
    return ran
