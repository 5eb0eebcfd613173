"""Who may claim, release, reassign and complete a task; stale and concurrent changes."""

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, open_task, user
from tests.services.test_sla_sweeps import _delete_cases
from webapp.domain.errors import CaseChanged, NotFound, PermissionDenied, TaskNotAvailable
from webapp.domain.tasks import Task
from webapp.services.casework.tasks import claim_task, reassign_task, release_task, submit_task


def test_officer_of_the_role_and_district_claims_an_open_task(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    claimed = claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))
    assert claimed.assignee.username == "ssdm.ac"


def test_a_claimed_task_cannot_be_claimed_again(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))
    with pytest.raises(TaskNotAvailable):
        claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))


def test_officer_of_another_district_does_not_see_the_task(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(NotFound):
        claim_task(session, task_id=task.id, actor=user(session, "ssdm.ss"))


def test_officer_of_another_role_cannot_claim(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(NotFound):
        claim_task(session, task_id=task.id, actor=user(session, "bo.health.ac"))


def test_completing_an_unclaimed_task_is_refused(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(TaskNotAvailable):
        submit_task(
            session,
            engine=process_engine,
            task_id=task.id,
            data=DOCUMENTS_OK,
            actor=user(session, "ssdm.ac"),
            case_version=None,
        )


def test_completing_a_task_twice_is_refused(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    actor = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=actor)
    submit_task(
        session, engine=process_engine, task_id=task.id, data=DOCUMENTS_OK, actor=actor, case_version=None
    )
    with pytest.raises(TaskNotAvailable):
        submit_task(
            session, engine=process_engine, task_id=task.id, data=DOCUMENTS_OK, actor=actor, case_version=None
        )


def test_release_puts_the_task_back_for_anyone_of_the_role(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    actor = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=actor)
    assert release_task(session, task_id=task.id, actor=actor).assignee_id is None


def test_supervisor_reassigns_within_the_district(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))
    sup = user(session, "sup.ac")
    target = user(session, "ssdm.ac")
    assert reassign_task(session, task_id=task.id, assignee_id=target.id, actor=sup).assignee_id == target.id


def test_reassigning_to_an_officer_of_another_district_is_refused(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(PermissionDenied):
        reassign_task(
            session, task_id=task.id, assignee_id=user(session, "ssdm.ss").id, actor=user(session, "sup.ac")
        )


def test_officer_who_is_not_a_supervisor_cannot_reassign(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(PermissionDenied):
        reassign_task(
            session, task_id=task.id, assignee_id=user(session, "ssdm.ac").id, actor=user(session, "ssdm.ac")
        )


def test_supervisor_of_another_district_gets_not_found(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    with pytest.raises(NotFound):
        reassign_task(
            session, task_id=task.id, assignee_id=user(session, "ssdm.ac").id, actor=user(session, "sup.ss")
        )


def test_a_stale_page_is_told_the_case_changed(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    actor = user(session, "ssdm.ac")
    claim_task(session, task_id=task.id, actor=actor)
    with pytest.raises(CaseChanged):
        submit_task(
            session,
            engine=process_engine,
            task_id=task.id,
            data=DOCUMENTS_OK,
            actor=actor,
            case_version=task.case.version_id - 1,
        )


def test_two_requests_on_one_case_at_once_exactly_one_succeeds(db_engine, process_engine):
    """Real concurrency: two sessions on two connections both load the case before either writes."""
    with Session(db_engine) as setup, setup.begin():
        case = open_case(setup, process_engine)
        task = open_task(setup, case)
        claim_task(setup, task_id=task.id, actor=user(setup, "ssdm.ac"))
        task_id, case_id = task.id, case.id
    barrier = threading.Barrier(2, timeout=30)
    original = process_engine.complete_task

    def complete_after_both_loaded(*args, **kwargs):
        barrier.wait()  # both requests have read the case at the same version
        return original(*args, **kwargs)

    outcomes: list[str] = []

    def request() -> None:
        with Session(db_engine) as session:
            try:
                submit_task(
                    session,
                    engine=engine_proxy,
                    task_id=task_id,
                    data=DOCUMENTS_OK,
                    actor=user(session, "ssdm.ac"),
                    case_version=None,
                )
                session.commit()
                outcomes.append("ok")
            except (CaseChanged, TaskNotAvailable):
                session.rollback()
                outcomes.append("refused")

    engine_proxy = _EngineWithHook(process_engine, complete_after_both_loaded)
    threads = [threading.Thread(target=request) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(outcomes) == ["ok", "refused"]
        with Session(db_engine) as check:
            done = check.get(Task, task_id)
            assert done is not None and done.status == "completed"
            next_tasks = check.scalars(
                select(Task).where(Task.case_id == done.case_id, Task.status == "open")
            ).all()
            assert len(next_tasks) == 1  # the next step was opened once, not twice
    finally:
        _delete_cases(db_engine, [case_id])  # committed for real: other tests count the commune's cases


class _EngineWithHook:
    def __init__(self, engine, complete_task):
        self._engine = engine
        self.complete_task = complete_task

    def __getattr__(self, name):
        return getattr(self._engine, name)
