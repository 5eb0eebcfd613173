"""Opening a case and completing a step stay within their statement budgets (bench/engine_throughput measures
the speed), and what the engine path keeps in memory follows a newly published version and edited SLA
policies."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from webapp.domain.history import CaseEvent
from webapp.domain.sla import WAITING, SlaPolicyRecord, WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.casework.versions import spec_ref
from webapp.services.deadlines.due_times import policies_for
from webapp.services.processes.deployment import deploy_directory

ROOT = Path(__file__).resolve().parent.parent.parent
APPLICATION = "ssdm_programme_application"
# Statements sent to the database, measured on SQLite (PostgreSQL sends as many or fewer: it batches the
# inserts into one table). Opening an application registers the applicant (with one upsert of the kept
# population totals), opens the case, files a document, completes the intake and queues the receipt: 49
# statements before the engine path was trimmed, then 30; an intake's "new task" notices are now set aside
# only when some were written (29), and since the intake is done in the engine run that starts the case (its
# row written completed, no notice for it) 27: the case row's state still follows the documents, whose ids the
# intake records; with the villages' levels and each process's latest published version kept in memory
# between transactions (checked against reference_stamp, read once per transaction anyway), 25 (the
# programme row is kept too; here the first opening has left it in the session). A step in a transaction of
# its own (claim and submit) sent 18 before it was written in one flush, with the mirror told by the engine
# what was waiting instead of reading back the case's open tasks and waiting timers, and the case row keeping
# whether its clock is paused.
OPEN_BUDGET = 25
STEP_BUDGET = 14


@contextmanager
def counted(session: Session) -> Iterator[list[str]]:
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", count)


def test_opening_an_application_stays_within_its_statement_budget(session, process_engine):
    open_case(session, process_engine)  # the first case of a scope creates its counters
    applicant_office = user(session, "ca.charchhuk")  # loaded before counting, as a request's user is
    with counted(session) as sent:
        open_case(session, process_engine, actor=applicant_office.username)
        session.flush()
    assert len(sent) <= OPEN_BUDGET + 1, "\n".join(sent)  # + the factory's look-up of the officer


def test_completing_a_step_stays_within_its_statement_budget(session, process_engine):
    case = open_case(session, process_engine)
    task = open_task(session, case)
    officer = user(session, "ssdm.ac")
    session.commit()  # the test's savepoint: the step comes in a transaction of its own, as from a request
    with counted(session) as sent:
        claim_task(session, task_id=task.id, actor=officer)
        submit_task(
            session,
            engine=process_engine,
            task_id=task.id,
            data=DOCUMENTS_OK,
            actor=officer,
            case_version=None,
        )
        session.flush()
    assert len(sent) <= STEP_BUDGET, "\n".join(sent)


def test_the_calendar_and_policy_stamp_is_read_once_per_transaction(session, process_engine):
    case = open_case(session, process_engine)
    session.commit()  # the test's savepoint: a new transaction begins
    with counted(session) as sent:
        work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    stamps = [statement for statement in sent if "FROM reference_stamp" in statement]
    assert len(stamps) == 1


def _pauses(session: Session, case_id: int) -> list[str]:
    return list(
        session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case_id, CaseEvent.kind == "clock_paused")
        )
    )


def _edit_policy(session: Session, change: Callable[[SlaPolicyRecord], None]) -> None:
    policy = session.scalar(select(SlaPolicyRecord).where(SlaPolicyRecord.process_id == APPLICATION))
    assert policy is not None
    change(policy)
    session.flush()


def test_an_edited_policy_pauses_the_clock_at_its_new_pause_step_in_the_same_transaction(
    session, process_engine
):
    first = open_case(session, process_engine)  # the policies as they were are now in memory
    work(session, process_engine, first, "ssdm.ac", **DOCUMENTS_OK)
    assert _pauses(session, first.id) == []

    def pause_at_the_back_office(policy: SlaPolicyRecord) -> None:
        policy.pause_tasks = "provide_missing_document,confirm_social_affairs"

    _edit_policy(session, pause_at_the_back_office)
    assert "confirm_social_affairs" in policies_for(session, APPLICATION)[0].pause_states
    second = open_case(session, process_engine)
    work(session, process_engine, second, "ssdm.ac", **DOCUMENTS_OK)
    assert _pauses(session, second.id) == ["clock_paused"]


def test_a_policy_changed_by_a_plain_update_statement_is_read_again(session, process_engine):
    open_case(session, process_engine)
    assert policies_for(session, APPLICATION)[0].target.days == 20
    session.execute(
        update(SlaPolicyRecord).where(SlaPolicyRecord.process_id == APPLICATION).values(target="P30D")
    )
    assert policies_for(session, APPLICATION)[0].target.days == 30


def test_a_policy_added_for_a_process_is_seen_by_the_next_read(session, process_engine):
    open_case(session, process_engine)
    clocks = {policy.clock for policy in policies_for(session, APPLICATION)}
    session.add(SlaPolicyRecord(process_id=APPLICATION, clock="decision", target="P10D"))
    session.flush()
    assert {policy.clock for policy in policies_for(session, APPLICATION)} == clocks | {"decision"}


def test_a_newly_published_version_serves_the_next_case_with_its_own_steps(session, process_engine, tmp_path):
    running = open_case(session, process_engine)
    changed = tmp_path / "workflows"
    changed.mkdir()
    for source in (ROOT / "workflows").glob("*.dmn"):
        (changed / source.name).write_bytes(source.read_bytes())
    bpmn = (ROOT / "workflows" / f"{APPLICATION}.bpmn").read_text(encoding="utf-8")
    (changed / f"{APPLICATION}.bpmn").write_text(
        bpmn.replace('name="Check the documents"', 'name="Check every document"'), encoding="utf-8"
    )
    deploy_directory(session, engine=process_engine, directory=changed)
    newer = open_case(session, process_engine)
    assert newer.workflow_version_id != running.workflow_version_id
    assert open_task(session, newer).name == "Check every document"
    assert open_task(session, running).name == "Check the documents"


def test_steps_of_a_case_opened_in_the_same_transaction_keep_one_row_per_task_and_timer(
    session, process_engine
):
    case = open_case(session, process_engine)  # opened, and its intake done, in this transaction
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    session.flush()
    ref = spec_ref(case.workflow_version)
    timers = session.scalars(
        select(WorkflowTimer.engine_task_id).where(
            WorkflowTimer.case_id == case.id, WorkflowTimer.status == WAITING
        )
    ).all()
    assert sorted(timers) == sorted(timer.id for timer in process_engine.waiting_timers(ref, case.state))
    tasks = session.scalars(
        select(Task.engine_task_id).where(Task.case_id == case.id, Task.status == OPEN)
    ).all()
    assert sorted(tasks) == sorted(task.id for task in process_engine.ready_tasks(ref, case.state))
