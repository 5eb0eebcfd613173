"""The worker's SLA sweeps: due timers fire once, escalate to the supervisor, and wait for working hours."""

import json
import threading
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import open_case, open_task, user, work
from webapp.domain.base import Base
from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.jobs import Job
from webapp.domain.sla import FIRED, WAITING, WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.assembly.worker import SWEEPS
from webapp.services.deadlines.calendar_admin import add_exception
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.sweeps import REPLAY_JOB, fire_due_timers, remind_at_risk, replay_timers
from webapp.services.platform.jobs import Worker, WorkerContext
from webapp.sla.working_time import is_working_moment, next_working_moment, working_days_between


def timers_of(session: Session, case: Case) -> dict[str, WorkflowTimer]:
    rows = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id)).all()
    return {row.spec_name: row for row in rows}


def kinds(session: Session, case: Case) -> list[str]:
    return list(
        session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    )


def night_after(moment: datetime) -> datetime:
    """22:00 in Phnom Penh on the day of `moment` (naive UTC)."""
    local_day = (moment + timedelta(hours=7)).date()
    return datetime.combine(local_day, datetime.min.time()) + timedelta(hours=22 - 7)


def test_the_check_has_its_reminder_and_escalation_timers_in_the_timer_table(
    session: Session, process_engine: ProcessEngine
) -> None:
    timers = timers_of(session, open_case(session, process_engine))

    assert set(timers) == {"check_documents_reminder", "check_documents_overdue"}
    assert timers["check_documents_reminder"].due_at < timers["check_documents_overdue"].due_at
    assert {row.status for row in timers.values()} == {WAITING}


def test_a_due_reminder_fires_once_and_is_recorded_on_the_case(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    due = timers_of(session, case)["check_documents_reminder"].due_at

    assert fire_due_timers(session, due - timedelta(minutes=1), WorkerContext("w1")) == 0
    assert fire_due_timers(session, due, WorkerContext("w1")) == 1
    assert fire_due_timers(session, due, WorkerContext("w2")) == 0

    assert timers_of(session, case)["check_documents_reminder"].status == FIRED
    assert kinds(session, case)[-2:] == ["timer_fired", "sla_reminder"]
    assert open_task(session, case).spec_name == "check_documents"


def test_an_overdue_check_goes_to_the_district_supervisor(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    overdue = timers_of(session, case)["check_documents_overdue"].due_at

    fire_due_timers(session, overdue, WorkerContext("w1"))

    task = open_task(session, case)
    assert (task.spec_name, task.role, task.area_code, task.form_key) == (
        "escalate_document_check",
        "district_supervisor",
        "1701",
        "supervisor_escalation",
    )
    assert "task_cancelled" in kinds(session, case)


def test_a_timer_due_at_night_waits_for_the_next_working_moment(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    night = night_after(timers_of(session, case)["check_documents_overdue"].due_at)
    government = load_calendars(session)["government"]
    morning = next_working_moment(government, night)

    assert not is_working_moment(government, night)
    assert fire_due_timers(session, night, WorkerContext("w1")) == 0
    assert fire_due_timers(session, morning, WorkerContext("w1")) == 1
    assert open_task(session, case).role == "district_supervisor"


def test_an_at_risk_reminder_is_raised_once_and_only_within_working_hours(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    assert task.at_risk_at is not None
    night = night_after(task.at_risk_at)
    morning = next_working_moment(load_calendars(session)["government"], night)

    assert remind_at_risk(session, night, WorkerContext("w1")) == 0
    assert remind_at_risk(session, morning, WorkerContext("w1")) == 1
    assert remind_at_risk(session, morning, WorkerContext("w2")) == 0
    assert kinds(session, case).count("sla_reminder") == 1


def test_two_workers_side_by_side_fire_every_timer_exactly_once(
    db_engine: Engine, process_engine: ProcessEngine
) -> None:
    with Session(db_engine) as session, session.begin():
        case_ids = [open_case(session, process_engine).id for _ in range(12)]
    # Monday 4 January 2027, 09:00 in Phnom Penh: every reminder and escalation of these cases is due.
    now = datetime(2027, 1, 4, 2, 0)
    factory = sessionmaker(bind=db_engine)
    workers = [
        Worker(
            session_factory=factory,
            handlers={},
            sweeps=SWEEPS,
            context=WorkerContext(f"w{n}"),
            clock=lambda: now,
        )
        for n in range(2)
    ]

    def drain(worker: Worker) -> None:
        for _ in range(50):
            if not worker.run_once(max_jobs=0):
                return

    threads = [threading.Thread(target=drain, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        with Session(db_engine) as session:
            fired = Counter(
                (event.case_id, event.after_json)
                for event in session.scalars(
                    select(CaseEvent).where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "timer_fired")
                )
            )
            rows = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id.in_(case_ids))).all()
            supervisors = session.scalars(
                select(Task).where(Task.case_id.in_(case_ids), Task.status == OPEN)
            ).all()
            assert len(fired) == 2 * len(case_ids) and set(fired.values()) == {1}
            assert {row.status for row in rows if row.spec_name.startswith("check_documents")} == {FIRED}
            assert {task.role for task in supervisors} == {"district_supervisor"}
    finally:
        _delete_cases(db_engine, case_ids)


def _delete_cases(db_engine: Engine, case_ids: list[int]) -> None:
    """The test committed real cases; every row that points at them goes first, then the cases."""
    with Session(db_engine) as session, session.begin():
        for table in reversed(Base.metadata.sorted_tables):
            if "case_id" in table.c and table.name != "case_file":
                session.execute(delete(table).where(table.c.case_id.in_(case_ids)))
        session.execute(delete(Case).where(Case.id.in_(case_ids)))
        # Queued jobs name their case inside the payload (the letters of these cases).
        for job in session.scalars(select(Job)):
            if json.loads(job.payload_json).get("case_id") in case_ids:
                session.delete(job)


def test_the_supervisor_acts_on_the_escalation_and_the_check_returns_to_the_district(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    fire_due_timers(session, timers_of(session, case)["check_documents_overdue"].due_at, WorkerContext("w1"))

    work(
        session,
        process_engine,
        case,
        "sup.ac",
        escalation_action="reminded",
        escalation_note="Called the team",
    )

    task = open_task(session, case)
    assert (task.spec_name, task.role) == ("check_documents", "district_ssdm_assistant")
    waiting = session.scalars(
        select(WorkflowTimer.spec_name).where(
            WorkflowTimer.case_id == case.id, WorkflowTimer.status == WAITING
        )
    ).all()
    assert sorted(waiting) == ["check_documents_overdue", "check_documents_reminder"]  # a fresh 5 days


def test_a_day_off_decreed_later_moves_the_waiting_deadline_timers_of_open_cases(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    before = timers_of(session, case)["check_documents_overdue"].due_at
    first_day = next_working_moment(
        load_calendars(session)["government"], open_task(session, case).created_at
    )
    add_exception(
        session,
        name="government",
        day=(first_day + timedelta(hours=7)).date(),
        working=False,
        reason="Sub-decree",
        actor=user(session, "admin"),
    )
    job = session.scalar(select(Job).where(Job.kind == REPLAY_JOB).order_by(Job.id.desc()))
    assert job is not None and json.loads(job.payload_json) == {"calendar": "government"}

    replay_timers(session, json.loads(job.payload_json), WorkerContext("w1"))

    after = timers_of(session, case)["check_documents_overdue"].due_at
    government = load_calendars(session)["government"]
    assert working_days_between(government, before, after) == 1
