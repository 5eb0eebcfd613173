"""Committee meetings: scheduling, the agenda of pending level-2 grievances, decisions recorded one by one."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import TODAY, drain_jobs, user, work
from tests.services.test_grievances import MAX, intake
from webapp.domain.cases import Case
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.letters import Letter
from webapp.services.grievances.committees import (
    agenda,
    get_meeting,
    next_meeting_date,
    record_decision,
    schedule_meeting,
)
from webapp.services.grievances.intake import record_grievance


def sent_up(session, engine, **overrides) -> Grievance:
    grievance = record_grievance(
        session,
        engine=engine,
        actor=user(session, "ca.charchhuk"),
        intake=intake(**overrides),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance
    case = session.get(Case, grievance.case_id)
    work(session, engine, case, "ca.charchhuk", level1_action="send_up", decision="", decision_reason="Up")
    return grievance


def test_the_cwcc_agenda_lists_its_area_s_pending_grievances_and_decides_them(session, process_engine):
    first, second = sent_up(session, process_engine), sent_up(session, process_engine)
    tcc_one = sent_up(session, process_engine, category="service_quality")
    secretary = user(session, "cwcc.ac")
    meeting = schedule_meeting(session, actor=secretary, meets_on=date(2026, 12, 1), today=TODAY)
    assert [item.grievance.id for item in agenda(session, meeting=meeting)] == [first.id, second.id]
    record_decision(
        session,
        engine=process_engine,
        meeting=meeting,
        grievance_id=first.id,
        decision="upheld",
        reason="The household is on the IDPoor list.",
        actor=secretary,
    )
    assert (first.decision, first.decided_level, first.status) == ("upheld", 2, "closed")
    assert [item.grievance.id for item in agenda(session, meeting=meeting)] == [second.id]
    assert meeting.status == "held" and [d.grievance_id for d in meeting.decisions] == [first.id]
    drain_jobs(session)
    decision_letters = session.scalars(
        select(Letter.key).where(Letter.case_id == first.case_id, Letter.key == "grievance_decision")
    ).all()
    assert decision_letters == ["grievance_decision"]
    tcc = schedule_meeting(session, actor=user(session, "tcc.ac"), meets_on=date(2026, 12, 2), today=TODAY)
    assert [item.grievance.id for item in agenda(session, meeting=tcc)] == [tcc_one.id]


def test_meetings_default_to_monthly_for_the_cwcc_and_every_two_months_for_the_tcc(session):
    cwcc, tcc = user(session, "cwcc.ac"), user(session, "tcc.ac")
    schedule_meeting(session, actor=cwcc, meets_on=date(2026, 12, 15), today=TODAY)
    schedule_meeting(session, actor=tcc, meets_on=date(2026, 12, 15), today=TODAY)
    assert next_meeting_date(session, user=cwcc, today=TODAY) == date(2027, 1, 15)
    assert next_meeting_date(session, user=tcc, today=TODAY) == date(2027, 2, 15)


def test_bad_decisions_and_past_dates_are_refused_and_other_districts_see_nothing(session, process_engine):
    grievance = sent_up(session, process_engine)
    secretary = user(session, "cwcc.ac")
    with pytest.raises(InvalidInput):
        schedule_meeting(session, actor=secretary, meets_on=date(2026, 1, 1), today=TODAY)
    meeting = schedule_meeting(session, actor=secretary, meets_on=TODAY, today=TODAY)
    with pytest.raises(InvalidInput) as refused:
        record_decision(
            session,
            engine=process_engine,
            meeting=meeting,
            grievance_id=grievance.id,
            decision="maybe",
            reason="short",
            actor=secretary,
        )
    assert set(refused.value.errors) == {"decision", "reason"}
    assert grievance.status == "level_2"
    with pytest.raises(NotFound):
        get_meeting(session, meeting_id=meeting.id, user=user(session, "cwcc.ss"))
    with pytest.raises(NotFound):
        get_meeting(session, meeting_id=meeting.id, user=user(session, "tcc.ac"))
