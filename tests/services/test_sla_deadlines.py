"""Due times of tasks in working time, recomputed when a calendar changes; waiting pauses the case clock."""

import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, open_task, work
from webapp.domain.history import CaseEvent
from webapp.domain.sla import AreaCalendar, CalendarException, WorkCalendar
from webapp.engine import ProcessEngine
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.deadlines.due_times import case_clocks, recompute_open_tasks, set_task_deadline
from webapp.sla.working_time import is_working_moment, working_days_between, working_time_between

MISSING = {"documents_complete": "no", "missing_document": "family_book", "note": "Unreadable copy"}


def test_the_document_check_is_due_five_working_days_later_on_the_government_calendar(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    government = load_calendars(session)["government"]

    assert (task.sla_target, task.sla_calendar) == ("P5D", "government")
    assert task.due_at is not None and task.at_risk_at is not None
    assert working_days_between(government, task.created_at, task.due_at) == 5
    assert is_working_moment(government, task.due_at)
    assert task.created_at <= task.at_risk_at < task.due_at


def test_a_decreed_day_off_moves_the_due_time_of_open_tasks(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    task.created_at = datetime(2026, 11, 30, 2, 0)  # Monday 30 November, 09:00 in Phnom Penh
    recompute_open_tasks(session, calendar_name="government")
    assert task.due_at == datetime(2026, 12, 7, 2, 0)

    government = session.scalar(select(WorkCalendar).where(WorkCalendar.name == "government"))
    assert government is not None
    session.add(CalendarException(calendar_id=government.id, day=date(2026, 12, 2), reason="Sub-decree"))
    session.flush()
    recompute_open_tasks(session, calendar_name="government")

    assert task.due_at == datetime(2026, 12, 8, 2, 0)


def test_an_office_that_names_the_nssf_calendar_gets_due_times_on_it(
    session: Session, process_engine: ProcessEngine
) -> None:
    nssf = session.scalar(select(WorkCalendar).where(WorkCalendar.name == "nssf"))
    assert nssf is not None
    session.add(AreaCalendar(area_code="1701", calendar_id=nssf.id))
    session.flush()

    task = open_task(session, open_case(session, process_engine))

    assert task.sla_calendar == "nssf"
    assert task.due_at is not None
    assert working_days_between(load_calendars(session)["nssf"], task.created_at, task.due_at) == 5


def test_waiting_for_the_citizen_pauses_the_application_clock_until_the_document_arrives(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **MISSING)

    paused = case_clocks(session, case=case, now=datetime(2027, 1, 4))["application"]
    kinds = session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    assert paused.status == "paused"
    assert "clock_paused" in kinds and "clock_resumed" not in kinds

    work(session, process_engine, case, "ca.charchhuk", note="Attached")
    resumed = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "clock_resumed")
    ).all()
    assert [json.loads(event.after_json or "{}") for event in resumed] == [{"clock": "application"}]
    assert case_clocks(session, case=case, now=datetime(2027, 1, 4))["application"].status != "paused"
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)


def test_a_bad_sla_property_that_slipped_past_publishing_falls_back_to_the_defaults(
    session: Session, process_engine: ProcessEngine
) -> None:
    task = open_task(session, open_case(session, process_engine))
    calendars = load_calendars(session)

    set_task_deadline(
        session, task, task.case, {"slaTarget": "5 days", "slaCalendar": "district"}, calendars=calendars
    )

    assert (task.sla_target, task.sla_calendar) == ("P5D", "government")
    assert task.due_at is not None
    assert working_days_between(calendars["government"], task.created_at, task.due_at) == 5


def test_a_completed_step_keeps_its_working_time_on_its_calendar(
    session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    task.created_at = datetime(2026, 11, 23, 1, 0)  # Monday 08:00 in Phnom Penh
    session.flush()
    done = work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    assert done.completed_at is not None and done.working_seconds is not None
    government = load_calendars(session)["government"]
    expected = working_time_between(government, done.created_at, done.completed_at)
    assert done.working_seconds == int(expected.total_seconds()) > 0
