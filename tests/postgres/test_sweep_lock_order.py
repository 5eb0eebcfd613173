"""Two workers, one firing timers and one sending reminders on the same cases at once, never deadlock
(PostgreSQL only: SQLite has one writer at a time and no row locks)."""

import threading
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import open_case
from tests.services.test_sla_sweeps import _delete_cases
from webapp.domain.history import CaseEvent
from webapp.domain.sla import FIRED, WorkflowTimer
from webapp.engine import ProcessEngine
from webapp.services.deadlines.sweeps import fire_due_timers, remind_at_risk
from webapp.services.platform.jobs import WorkerContext

# Monday 4 January 2027, 09:00 in Phnom Penh: every reminder, escalation and at-risk moment is past.
NOW = datetime(2027, 1, 4, 2, 0)


def test_the_timer_sweep_and_the_reminder_sweep_side_by_side_never_deadlock(
    db_engine: Engine, process_engine: ProcessEngine
) -> None:
    with Session(db_engine) as session, session.begin():
        case_ids = [open_case(session, process_engine).id for _ in range(16)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sweep_repeatedly(sweep, name: str) -> None:
        start.wait()
        try:
            for _ in range(6):
                with Session(db_engine) as session, session.begin():
                    sweep(session, NOW, WorkerContext(name))
        except BaseException as error:  # a deadlock surfaces as OperationalError (DeadlockDetected)
            errors.append(error)

    threads = [
        threading.Thread(target=sweep_repeatedly, args=(fire_due_timers, "timers")),
        threading.Thread(target=sweep_repeatedly, args=(remind_at_risk, "reminders")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        with Session(db_engine) as session, session.begin():  # what is left fires on a later loop
            fire_due_timers(session, NOW, WorkerContext("after"))
            fire_due_timers(session, NOW, WorkerContext("after"))
            remind_at_risk(session, NOW, WorkerContext("after"))
        with Session(db_engine) as session:
            statuses = session.execute(
                select(WorkflowTimer.spec_name, WorkflowTimer.status).where(
                    WorkflowTimer.case_id.in_(case_ids), WorkflowTimer.spec_name.startswith("check_documents")
                )
            ).all()
            fired = session.scalars(
                select(CaseEvent.after_json).where(
                    CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "timer_fired"
                )
            ).all()
        assert {status for _name, status in statuses} == {FIRED}
        assert len(fired) == 2 * len(case_ids)  # the reminder and the escalation of each case, once each
    finally:
        _delete_cases(db_engine, case_ids)
