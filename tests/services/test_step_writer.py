"""A step's rows on PostgreSQL go out as one statement (services/casework/step_writer.py) and read back as
the unit of work would have left them; a case changed meanwhile fails the step with nothing written; a
closing step's flush hooks (processing time, kept totals) still see it; on SQLite the unit of work writes."""

import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, update
from sqlalchemy.orm import Session

from tests.factories import ANNOUNCE, APPROVE, DOCUMENTS_OK, family_book, open_case, open_task, user, work
from tests.services.test_engine_round_trips import counted
from tests.services.test_monitoring_totals import enrolled, mismatch
from webapp.domain.cases import Case
from webapp.domain.errors import CaseChanged
from webapp.domain.history import CaseEvent
from webapp.domain.jobs import Job
from webapp.domain.sla import WorkflowTimer
from webapp.domain.tasks import COMPLETED, OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.events import record_event
from webapp.services.casework.tasks import claim_task, submit_task


def _on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _columns(row: Any) -> dict[str, Any]:
    return {attribute.key: getattr(row, attribute.key) for attribute in inspect(row).mapper.column_attrs}


def _step_writes(sent: list[str]) -> list[str]:
    """The statements that wrote the case, its tasks or its events (the step writer's starts WITH u0)."""
    return [s for s in sent if re.match(r"(INSERT INTO|UPDATE) (case_file|task|case_event) |WITH u0 AS", s)]


def test_a_step_reads_back_as_it_was_left_in_memory(session: Session, process_engine: ProcessEngine) -> None:
    case = open_case(session, process_engine)
    session.commit()
    with counted(session) as sent:
        done = work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
        opened = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN)).all()
    writes = _step_writes(sent)[1:]  # after the claim's own UPDATE
    if _on_postgres(session):
        assert len(writes) == 1 and writes[0].startswith("WITH u0 AS (UPDATE case_file SET")
    else:
        assert [w.split()[0] for w in writes] == ["INSERT", "UPDATE", "UPDATE", "INSERT"]
    assert len(opened) == 1 and opened[0].id > done.id
    in_memory = [_columns(row) for row in (case, done, opened[0])]
    assert in_memory[1]["status"] == COMPLETED and isinstance(in_memory[1]["completed_at"], datetime)
    assert in_memory[2]["created_at"] is not None and in_memory[2]["reminders_sent"] == 0  # defaults kept
    session.expire_all()
    assert [_columns(session.get(type(row), row.id)) for row in (case, done, opened[0])] == in_memory
    kinds = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    assert kinds[-4:] == ["task_claimed", "task_completed", "eligibility_decided", "task_created"]


def test_a_case_changed_meanwhile_fails_the_step_with_nothing_of_it_written(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    officer = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=officer)
    connection = session.connection()
    tasks_before = connection.execute(select(Task.id, Task.status).where(Task.case_id == case.id)).all()
    events_before = connection.execute(select(CaseEvent.id).where(CaseEvent.case_id == case.id)).all()
    connection.execute(update(Case).where(Case.id == case.id).values(version_id=Case.version_id + 1))
    with pytest.raises(CaseChanged):
        data, version = DOCUMENTS_OK, None
        submit_task(
            session, engine=process_engine, task_id=task.id, data=data, actor=officer, case_version=version
        )
    if _on_postgres(session):  # the statement's other CTEs wrote nothing (SQLite's flush stops at the case)
        tasks = connection.execute(select(Task.id, Task.status).where(Task.case_id == case.id)).all()
        events = connection.execute(select(CaseEvent.id).where(CaseEvent.case_id == case.id)).all()
        assert (sorted(tasks), events) == (sorted(tasks_before), events_before)
    session.rollback()


def test_a_closing_step_goes_out_at_once_and_its_flush_hooks_still_count_it(
    session: Session, process_engine: ProcessEngine
):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    session.commit()
    jobs_before, enrolled_before = session.scalar(select(func.count(Job.id))), enrolled(session)
    with counted(session) as sent:
        work(session, process_engine, case, "iso.ac", **ANNOUNCE)
        session.flush()
    writes = _step_writes(sent)[1:]  # after the claim's own UPDATE
    if _on_postgres(session):  # the case row, the task, the letters' jobs and the events in one statement
        assert len(writes) == 1 and "INSERT INTO job" in writes[0]
    else:
        assert any(statement.startswith("UPDATE case_file SET status=") for statement in writes)
    assert case.outcome == "approved" and case.working_days is not None  # the closing's own flush hook
    assert session.scalar(select(func.count(Job.id))) == jobs_before + 2  # the result letters
    assert enrolled(session) == enrolled_before + 1 and mismatch(session) == {}  # the kept totals' hook
    working_days = case.working_days
    session.expire_all()
    assert session.get(Case, case.id).working_days == working_days


def test_an_opened_case_row_reads_back_with_its_defaults(session: Session, process_engine: ProcessEngine):
    with counted(session) as sent:
        case = open_case(session, process_engine)
    written = [s for s in sent if "INSERT INTO case_file" in s]
    assert len(written) == 1
    assert written[0].startswith("WITH n0 AS (INSERT INTO case_file") == _on_postgres(session)
    in_memory = _columns(case)
    assert (in_memory["status"], in_memory["clock_paused"]) == (OPEN, False)  # defaults, and read back below
    assert in_memory["created_at"] is not None and case.workflow_version.id == case.workflow_version_id
    session.expire_all()
    assert _columns(session.get(Case, case.id)) == in_memory


def test_events_alone_go_out_in_the_order_recorded(session: Session, process_engine: ProcessEngine):
    case = open_case(session, process_engine)
    session.commit()
    officer = user(session, "ssdm.ac")
    for kind in ("letter_issued", "letter_delivered"):
        record_event(session, case=case, kind=kind, actor=officer, after={"letter": "L-1"})
    with counted(session) as sent:
        session.flush()
    assert len([statement for statement in sent if "INSERT INTO case_event" in statement]) == 1
    kinds = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    assert kinds[-2:] == ["letter_issued", "letter_delivered"]


def test_two_steps_of_a_case_in_one_transaction_leave_one_row_per_timer(
    session: Session, process_engine: ProcessEngine
):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    officer = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=officer)
    submit_task(  # a document filed with the step
        session,
        engine=process_engine,
        task_id=task.id,
        data=DOCUMENTS_OK,
        actor=officer,
        case_version=None,
        uploads=[family_book()],
    )
    work(session, process_engine, case, "bo.social.ac", **APPROVE)  # same transaction, same case
    session.flush()
    rows = session.scalars(select(WorkflowTimer.engine_task_id).where(WorkflowTimer.case_id == case.id)).all()
    assert rows and len(rows) == len(set(rows))  # one row per timer the case ever waited on


def test_a_case_opened_without_documents_goes_out_with_its_tasks(
    session: Session, process_engine: ProcessEngine
):
    with counted(session) as sent:
        case = open_case(session, process_engine, documents=[])
    written = [s for s in sent if "INSERT INTO case_file" in s]
    # On PostgreSQL its id came with its reference: the row and the rows naming it are one statement (the
    # foreign keys are checked at its end)
    assert len(written) == 1 and ("INSERT INTO task" in written[0]) == _on_postgres(session)
    session.expire_all()
    tasks = session.scalars(select(Task.case_id).where(Task.case_id == case.id)).all()
    events = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    assert len(tasks) == 2 and events[0] == "case_opened"
