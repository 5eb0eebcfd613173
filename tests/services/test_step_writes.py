"""A step in a transaction of its own is written from what the engine says was waiting, without reading the
case's task and timer rows or its clock events back: the rows, the pause flag and the notices still follow."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from tests.services.test_engine_round_trips import counted
from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.notifications import Notification
from webapp.domain.people import User
from webapp.domain.sla import CANCELLED, WAITING, WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.versions import spec_ref

MISSING = {"documents_complete": "no", "missing_document": "family_book", "note": "Unreadable copy"}


def _rows(session: Session, column, *criteria) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(session.scalars(select(column).where(*criteria)))


def test_a_step_of_its_own_transaction_leaves_one_row_per_ready_task_and_waiting_timer(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    timers_before = _rows(session, WorkflowTimer.engine_task_id, WorkflowTimer.case_id == case.id)
    session.commit()  # the test's savepoint: the step comes in a transaction of its own
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    session.flush()
    ref = spec_ref(case.workflow_version)
    waiting = _rows(
        session,
        WorkflowTimer.engine_task_id,
        WorkflowTimer.case_id == case.id,
        WorkflowTimer.status == WAITING,
    )
    assert waiting == sorted(timer.id for timer in process_engine.waiting_timers(ref, case.state))
    assert _rows(session, Task.engine_task_id, Task.case_id == case.id, Task.status == OPEN) == sorted(
        task.id for task in process_engine.ready_tasks(ref, case.state)
    )
    ended = _rows(
        session,
        WorkflowTimer.engine_task_id,
        WorkflowTimer.case_id == case.id,
        WorkflowTimer.status == CANCELLED,
    )
    assert ended == [timer for timer in timers_before if timer not in waiting]


def test_the_case_row_follows_its_clock_pause_and_resume_across_transactions(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    session.commit()
    work(session, process_engine, case, "ssdm.ac", **MISSING)
    assert case.clock_paused
    session.commit()
    work(session, process_engine, case, "ca.charchhuk", note="Attached")
    session.flush()
    kinds = _rows(session, CaseEvent.kind, CaseEvent.case_id == case.id, CaseEvent.kind.like("clock_%"))
    assert kinds == ["clock_paused", "clock_resumed"]
    assert session.scalar(select(Case.clock_paused).where(Case.id == case.id)) is False


def test_an_intake_done_where_the_case_was_opened_tells_the_other_clerk_nothing(
    session: Session, process_engine: ProcessEngine
) -> None:
    clerk = user(session, "ca.charchhuk")
    other = User(
        username="ca.charchhuk.second",
        full_name="Second clerk",
        role=clerk.role,
        area_code=clerk.area_code,
        password_hash=clerk.password_hash,
    )
    session.add(other)
    session.flush()
    case = open_case(session, process_engine, actor=clerk.username)  # opens and completes the intake
    notices = session.scalars(
        select(Notification).where(Notification.user_id == other.id, Notification.case_id == case.id)
    ).all()
    assert notices == []  # the intake arrived already done: there was nothing for them to take
    assert open_task(session, case).role != clerk.role


def test_a_step_writes_the_case_row_before_its_timers_as_the_sweeps_lock_them(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    session.commit()
    with counted(session) as sent:
        work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    writes = [statement for statement in sent if not statement.startswith("SELECT")]
    first_timer_write = next(i for i, statement in enumerate(writes) if "workflow_timer" in statement)
    timers = writes[first_timer_write]
    if timers.startswith("WITH u0 AS (UPDATE case_file SET"):
        # On PostgreSQL the step's own statement: the case row's update is its first CTE, and every timer CTE
        # reads it (so it runs after it)
        ctes = re.split(r", (?=[uno]\d+ AS \()", timers.split(") SELECT (SELECT count(*)")[0])
        timer_ctes = [cte for cte in ctes if "workflow_timer" in cte]
        assert timer_ctes and all("EXISTS (SELECT 1 FROM u0)" in cte for cte in timer_ctes)
    else:  # SQLite, or the case closing: the case row's own UPDATE goes first
        assert any(statement.startswith("UPDATE case_file SET") for statement in writes[:first_timer_write])
