"""The demo data shows every feature an officer meets in a day: late work, a grievance before the committee, a
decided meeting, a batch of letters to hand out, and a distinct name for every person."""

from datetime import date

import pytest
from sqlalchemy import select

from webapp.domain.base import utcnow
from webapp.domain.grievances import CommitteeDecision, CommitteeMeeting, Grievance
from webapp.domain.jobs import Job
from webapp.domain.people import RoleName, User
from webapp.domain.tasks import OPEN, Task
from webapp.services.assembly.seed import demo_users, seed_demo_cases
from webapp.services.correspondence.batches import JOB_KIND as BATCH_JOB

TODAY = date(2026, 11, 27)


@pytest.fixture
def seeded(session, process_engine):
    assert seed_demo_cases(session, engine=process_engine, today=TODAY, document=b"%PDF-1.4 demo") > 0
    return session


def _open_tasks(session) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.status == OPEN)))


def test_the_demo_has_a_task_at_risk_and_one_overdue(seeded):
    now = utcnow()
    tasks = _open_tasks(seeded)
    at_risk = [t for t in tasks if t.at_risk_at and t.due_at and t.at_risk_at <= now < t.due_at]
    overdue = [t for t in tasks if t.due_at and t.due_at < now]
    assert len(at_risk) == 1 and len(overdue) == 1
    assert overdue[0].created_at < at_risk[0].created_at < now


def test_the_demo_has_a_grievance_waiting_for_the_cwcc(seeded):
    waiting = seeded.execute(
        select(Grievance, Task)
        .join(Task, Task.case_id == Grievance.case_id)
        .where(Task.status == OPEN, Task.role == RoleName.CWCC_SECRETARY)
    ).all()
    assert len(waiting) == 1


def test_the_demo_has_a_meeting_that_decided_a_grievance(seeded):
    meeting = seeded.scalars(select(CommitteeMeeting)).one()
    decision = seeded.scalars(select(CommitteeDecision)).one()
    assert decision.meeting_id == meeting.id
    decided = seeded.get(Grievance, decision.grievance_id)
    assert decided is not None and decided.decided_level == 2


def test_the_demo_has_a_letter_batch_for_a_commune_assistant(seeded):
    job = seeded.scalars(select(Job).where(Job.kind == BATCH_JOB)).one()
    assert '"commune": "170102"' in job.payload_json


def test_every_demo_officer_has_a_name_of_their_own(session):
    names = [demo.full_name for demo in demo_users()]
    assert len(names) == len(set(names))
    stored = session.scalars(select(User.full_name)).all()
    assert len(stored) == len(set(stored))


def test_nssf_has_registration_officers_inspectors_and_chiefs_in_three_provinces(session):
    nssf_roles = (RoleName.NSSF_REGISTRATION_OFFICER, RoleName.NSSF_INSPECTOR, RoleName.NSSF_CHIEF)
    staff = session.scalars(select(User).where(User.role.in_(nssf_roles))).all()
    offices = {(user.role, user.area_code) for user in staff}
    assert offices >= {(role, province) for role in nssf_roles for province in ("17", "12", "23")}
    national = session.scalars(select(User).where(User.role == RoleName.NSSF_NATIONAL_OFFICER)).all()
    assert None in [user.area_code for user in national]
