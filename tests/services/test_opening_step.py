"""A case whose opening officer does its first task as it opens (an application's intake): one engine run,
the first task's row written completed, and the same timeline, rows and notices as opening the case and then
submitting that task."""

import json
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import TODAY, family_book, open_case, user
from webapp.domain.cases import Case
from webapp.domain.errors import PermissionDenied, TaskNotAvailable
from webapp.domain.history import CaseEvent
from webapp.domain.notifications import Notification
from webapp.domain.people import User
from webapp.domain.registry import Person
from webapp.domain.sla import WorkflowTimer
from webapp.domain.tasks import COMPLETED, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.cases import CaseOpening
from webapp.services.casework.cases import open_case as open_plain_case
from webapp.services.casework.opening_step import open_case_with_first_step
from webapp.services.casework.tasks import submit_task
from webapp.services.casework.versions import spec_ref
from webapp.services.registry.registration import Referral, refer_household

INTAKE_DATA = {
    "programme": "fp_elderly",
    "sector": "social_affairs",
    "age": 76,
    "sex": "female",
    "equity_card": "poor_1",
    "disability": False,
    "pregnant": False,
    "living_with_hiv": False,
    "enrolled_in_school": False,
    "household_size": 3,
    "documents": {},
}


def _opening(person: Person) -> CaseOpening:
    return CaseOpening(
        process_id="ssdm_programme_application",
        reference_prefix="APP",
        area_code=person.village_code,
        today=TODAY,
        data={},
        opened={"programme": "fp_elderly", "applicant": person.name_latin},
        person_id=person.id,
        programme_code="fp_elderly",
    )


def _two_calls(session: Session, engine: ProcessEngine, person: Person, actor: User) -> Case:
    """The case opened, then its intake submitted by the same officer: two engine runs."""
    opened = open_plain_case(session, engine, opening=_opening(person), actor=actor, created_by_id=actor.id)
    (intake,) = opened.tasks
    intake.assignee_id = actor.id
    submit_task(session, engine=engine, task_id=intake.id, data=INTAKE_DATA, actor=actor, case_version=None)
    return opened.case


def _one_call(session: Session, engine: ProcessEngine, person: Person, actor: User) -> Case:
    opening = _opening(person)
    return open_case_with_first_step(
        session, engine, opening=opening, actor=actor, first_data=lambda: INTAKE_DATA
    ).case


def _timeline(session: Session, case: Case) -> list[tuple[Any, ...]]:
    rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    return [(row.kind, row.actor_id, row.task_name, row.before_json, row.after_json) for row in rows]


def _tasks(session: Session, case: Case) -> list[tuple[Any, ...]]:
    rows = session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.id))
    return [
        (
            row.spec_name,
            row.role,
            row.area_code,
            row.status,
            row.assignee_id,
            row.completed_by_id,
            row.submitted_json,
            row.working_seconds,
            row.sla_target,
            row.sla_calendar,
            row.due_at is not None,
        )
        for row in rows
    ]


def _timers(session: Session, case: Case) -> list[tuple[Any, ...]]:
    rows = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == case.id))
    return sorted((row.spec_name, row.status, row.due_at) for row in rows)


def _notices(session: Session, case: Case) -> list[tuple[Any, ...]]:
    rows = session.scalars(select(Notification).where(Notification.case_id == case.id))
    return sorted((row.user_id, row.kind, row.task_name, row.read_at is None) for row in rows)


@pytest.fixture
def applicant_person(session: Session, process_engine: ProcessEngine) -> Person:
    """A registered applicant of Char Chhuk (an application opened for them registers them)."""
    return open_case(session, process_engine, documents=[]).person


def test_the_timeline_of_an_opening_equals_opening_then_submitting_the_intake(
    session: Session, process_engine: ProcessEngine, applicant_person: Person
) -> None:
    clerk = user(session, "ca.charchhuk")
    before = _two_calls(session, process_engine, applicant_person, clerk)
    after = _one_call(session, process_engine, applicant_person, clerk)
    session.flush()
    assert [row[0] for row in _timeline(session, after)] == [
        "case_opened",
        "task_created",
        "task_completed",
        "task_created",
    ]
    assert _timeline(session, after) == _timeline(session, before)
    assert _tasks(session, after) == _tasks(session, before)
    assert _timers(session, after) == _timers(session, before)
    assert after.state_version == before.state_version and after.status == before.status


def test_the_next_tasks_notices_are_those_of_opening_then_submitting(
    session: Session, process_engine: ProcessEngine, applicant_person: Person
) -> None:
    clerk = user(session, "ca.charchhuk")
    before = _two_calls(session, process_engine, applicant_person, clerk)
    after = _one_call(session, process_engine, applicant_person, clerk)
    session.flush()
    told = _notices(session, after)
    assert told and all(task_name == "Check the documents" for _user, _kind, task_name, _unread in told)
    assert told == [notice for notice in _notices(session, before) if notice[2] == "Check the documents"]


def test_nobody_is_told_of_an_intake_that_arrives_done(
    session: Session, process_engine: ProcessEngine
) -> None:
    clerk = user(session, "ca.charchhuk")
    session.add(
        User(
            username="ca.charchhuk.colleague",
            full_name="A colleague at the same commune",
            role=clerk.role,
            area_code=clerk.area_code,
            password_hash=clerk.password_hash,
        )
    )
    session.flush()
    case = open_case(session, process_engine)
    intake = session.scalar(select(Task).where(Task.case_id == case.id, Task.spec_name == "intake"))
    assert intake is not None
    assert session.scalars(select(Notification).where(Notification.task_id == intake.id)).all() == []


def test_the_intake_row_is_completed_by_the_officer_with_the_data_submitted(
    session: Session, process_engine: ProcessEngine
) -> None:
    clerk = user(session, "ca.charchhuk")
    case = open_case(session, process_engine, documents=[family_book()])
    session.flush()
    intake = session.scalar(select(Task).where(Task.case_id == case.id, Task.spec_name == "intake"))
    assert intake is not None
    assert (intake.status, intake.assignee_id, intake.completed_by_id) == (COMPLETED, clerk.id, clerk.id)
    assert intake.completed_at is not None and intake.working_seconds is not None
    assert intake.due_at is not None  # its deadline, as for any step, for the SLA report
    submitted = json.loads(intake.submitted_json or "{}")
    [document] = case.documents
    assert submitted["documents"] == {"family_book": document.id}
    assert submitted["programme"] == "fp_elderly" and submitted["household_size"] == 4


def test_a_case_opened_with_its_documents_holds_the_state_after_its_intake(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine, documents=[family_book()])
    session.flush()
    session.expire(case, ["state"])
    ready = process_engine.ready_tasks(spec_ref(case.workflow_version), case.state)
    assert [task.spec_name for task in ready] == ["check_documents"]


def test_an_opening_runs_the_engine_once(
    session: Session, process_engine: ProcessEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    for name in ("start", "complete_task", "start_and_complete"):
        method = getattr(process_engine, name)

        def counted(*args: Any, _name: str = name, _method: Any = method, **kwargs: Any) -> Any:
            runs.append(_name)
            return _method(*args, **kwargs)

        monkeypatch.setattr(process_engine, name, counted)
    open_case(session, process_engine)
    assert runs == ["start_and_complete"]


def test_an_officer_of_another_role_cannot_do_the_first_task_as_the_case_opens(
    session: Session, process_engine: ProcessEngine, applicant_person: Person
) -> None:
    district = user(session, "ssdm.ac")  # covers the commune, but the intake is the commune assistant's
    with pytest.raises(TaskNotAvailable):
        _one_call(session, process_engine, applicant_person, district)


def test_an_officer_of_another_area_cannot_open_the_case(
    session: Session, process_engine: ProcessEngine, applicant_person: Person
) -> None:
    clerk = user(session, "ca.charchhuk")
    elsewhere = replace(_opening(applicant_person), area_code="12010101")  # a village of another province
    with pytest.raises(PermissionDenied):
        open_case_with_first_step(
            session,
            process_engine,
            opening=elsewhere,
            actor=clerk,
            first_data=lambda: INTAKE_DATA,
        )


def test_a_vdc_referral_opens_with_its_referral_done_by_the_member(
    session: Session, process_engine: ProcessEngine
) -> None:
    member = user(session, "vdc.charchhuk")
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "The father cannot work since the accident.")
    case = refer_household(session, engine=process_engine, actor=member, referral=referral, today=TODAY)
    session.flush()
    done = session.scalar(select(Task).where(Task.case_id == case.id, Task.status == COMPLETED))
    assert done is not None and (done.assignee_id, done.completed_by_id) == (member.id, member.id)
    assert json.loads(done.submitted_json or "{}")["referral_reason"] == referral.reason
    assert session.scalars(select(Notification).where(Notification.task_id == done.id)).all() == []
    assert [row[0] for row in _timeline(session, case)] == [
        "case_opened",
        "task_created",
        "task_completed",
        "task_created",
    ]
