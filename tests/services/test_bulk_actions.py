"""Bulk actions run each record through the single use case and its checks; one refusal leaves the
others done, and the outcome says how many of each."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import TODAY, drain_jobs, open_case, open_task, user
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.history import CaseEvent
from webapp.domain.letters import Letter
from webapp.services.casework.bulk import MOST_AT_ONCE, claim_tasks, reassign_tasks
from webapp.services.casework.tasks import claim_task
from webapp.services.correspondence.letter_list import mark_many_delivered


def _tasks(session, engine, count, **kwargs):
    return [
        open_task(session, open_case(session, engine, id_number=f"B{n:07d}", **kwargs)) for n in range(count)
    ]


def test_claiming_several_reports_those_already_taken(session, process_engine):
    tasks = _tasks(session, process_engine, 4)
    claim_task(session, task_id=tasks[3].id, actor=user(session, "ssdm.ac"))
    officer = user(session, "ssdm.ac")
    outcome = claim_tasks(session, task_ids=[t.id for t in tasks], actor=user(session, "ssdm.ac"))
    assert outcome.done == 3
    assert [(summary, n) for summary, _reason, n in outcome.refused] == [("%(count)s already taken", 1)]
    session.expire_all()
    assert all(t.assignee_id == officer.id for t in tasks)
    claims = session.scalars(select(CaseEvent).where(CaseEvent.kind == "task_claimed")).all()
    assert len(claims) == 4  # one event per claim, the refused one left no trace


def test_claims_out_of_role_or_area_are_counted_apart(session, process_engine):
    here = _tasks(session, process_engine, 1)
    there = open_task(session, open_case(session, process_engine, actor="ca.chrouy", village_code="17120101"))
    outcome = claim_tasks(session, task_ids=[here[0].id, there.id, 2**31 - 1], actor=user(session, "ssdm.ac"))
    assert outcome.done == 1
    assert dict((s, n) for s, _r, n in outcome.refused) == {"%(count)s not found": 2}
    refused = claim_tasks(session, task_ids=[here[0].id], actor=user(session, "iso.ac"))
    assert refused.done == 0 and refused.refused_count == 1


def test_reassigning_several_checks_each_task(session, process_engine):
    tasks = _tasks(session, process_engine, 2)
    there = open_task(session, open_case(session, process_engine, actor="ca.chrouy", village_code="17120101"))
    supervisor, officer = user(session, "sup.ac"), user(session, "ssdm.ac")
    outcome = reassign_tasks(
        session, task_ids=[tasks[0].id, tasks[1].id, there.id], assignee_id=officer.id, actor=supervisor
    )
    assert outcome.done == 2 and outcome.refused_count == 1
    session.expire_all()
    assert [t.assignee_id for t in tasks] == [officer.id, officer.id] and there.assignee_id is None
    moves = session.scalars(select(CaseEvent).where(CaseEvent.kind == "task_reassigned")).all()
    assert len(moves) == 2  # the refused task left no trace
    wrong = reassign_tasks(
        session, task_ids=[tasks[0].id], assignee_id=user(session, "iso.ac").id, actor=supervisor
    )
    assert wrong.done == 0
    assert [reason for _s, reason, _n in wrong.refused] == [
        "This officer cannot take this task: another role or area."
    ]


def test_a_bulk_action_takes_at_most_a_hundred(session):
    with pytest.raises(InvalidInput):
        claim_tasks(session, task_ids=range(1, MOST_AT_ONCE + 2), actor=user(session, "ssdm.ac"))


def _letters(session, engine, count):
    for n in range(count):
        open_case(session, engine, id_number=f"D{n:07d}")
    drain_jobs(session)
    return list(session.scalars(select(Letter).order_by(Letter.id)))


def test_marking_letters_delivered_keeps_a_first_delivery_and_refuses_a_day_before_the_letter(
    session, process_engine
):
    letters = _letters(session, process_engine, 3)
    assert len(letters) == 3
    officer = user(session, "ca.charchhuk")
    today = max(letter.issued_on for letter in letters)
    mark_many_delivered(session, letter_ids=[letters[0].id], on=today, how="post", actor=officer, today=today)
    outcome = mark_many_delivered(
        session,
        letter_ids=[letters[0].id, letters[1].id],
        on=today,
        how="in_person",
        actor=officer,
        today=today,
    )
    assert outcome.done == 1
    assert dict((s, n) for s, _r, n in outcome.refused) == {"%(count)s already delivered": 1}
    early = mark_many_delivered(
        session,
        letter_ids=[letters[2].id],
        on=letters[2].issued_on - timedelta(days=1),
        how="post",
        actor=officer,
        today=today,
    )
    assert early.done == 0
    assert [reason for _s, reason, _n in early.refused] == [
        "The delivery date must be between the letter's date and today."
    ]
    session.expire_all()
    assert [letter.delivered_how for letter in letters] == ["post", "in_person", None]


def test_marking_letters_delivered_refuses_a_bad_method_or_a_future_day_or_another_role(
    session, process_engine
):
    letters = _letters(session, process_engine, 1)
    officer = user(session, "ca.charchhuk")
    ids = [letters[0].id]
    with pytest.raises(InvalidInput):
        mark_many_delivered(session, letter_ids=ids, on=TODAY, how="pigeon", actor=officer, today=TODAY)
    with pytest.raises(InvalidInput):
        mark_many_delivered(
            session, letter_ids=ids, on=TODAY + timedelta(days=1), how="post", actor=officer, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        mark_many_delivered(
            session, letter_ids=ids, on=TODAY, how="post", actor=user(session, "vdc.charchhuk"), today=TODAY
        )
