"""SLA pages: the supervisor's at-risk list with reassign, calendar editing by administrators, the report."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from tests.web.helpers import post, sign_in
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.sla import CalendarChange, CalendarException, WorkCalendar
from webapp.domain.tasks import Task
from webapp.engine import ProcessEngine
from webapp.services.deadlines.calendars import load_calendars
from webapp.sla import next_working_moment


def _overdue_case(session: Session, engine: ProcessEngine, **kwargs: str) -> tuple[Case, Task]:
    case = open_case(session, engine, **kwargs)
    task = open_task(session, case)
    task.due_at = utcnow() - timedelta(days=3)
    task.at_risk_at = task.due_at - timedelta(days=2)
    session.commit()
    return case, task


def test_the_supervisor_sees_an_overdue_task_of_the_district_and_reassigns_it_from_the_page(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case, task = _overdue_case(session, process_engine)
    sign_in(client, "sup.ac")

    page = client.get("/sla/watch").get_data(as_text=True)
    assert case.reference in page and 'class="sla sla-overdue"' in page and 'name="csrf_token"' in page

    officer = user(session, "ssdm.ac")
    response = post(client, f"/tasks/{task.id}/reassign", {"assignee_id": officer.id})
    assert response.status_code == 302
    session.refresh(task)
    assert task.assignee_id == officer.id


def test_the_watch_page_is_not_found_for_officers_and_shows_nothing_of_another_district(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case, _ = _overdue_case(session, process_engine)
    sign_in(client, "ssdm.ac")
    assert client.get("/sla/watch").status_code == 404

    sign_in(client, "sup.ss")
    assert case.reference not in client.get("/sla/watch").get_data(as_text=True)


def test_an_administrator_cannot_save_overlapping_hours_and_gets_the_message(
    client: FlaskClient, session: Session
) -> None:
    sign_in(client, "admin")
    response = post(client, "/sla/calendars/government/week", {"day_0": "08:00-12:00, 11:00-15:00"})

    assert response.status_code == 422
    assert "Working periods of one day must not overlap." in response.get_data(as_text=True)


def test_a_decreed_day_off_is_audited_and_moves_open_deadlines(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    before = task.due_at
    assert before is not None
    session.commit()
    sign_in(client, "admin")
    # The first working day the task counts: taking it off must push the deadline back.
    day = (
        next_working_moment(load_calendars(session)["government"], task.created_at) + timedelta(hours=7)
    ).date()

    response = post(
        client,
        "/sla/calendars/government/days",
        {"day": day.isoformat(), "working": "no", "reason": "Sub-decree 42"},
    )

    assert response.status_code == 302
    session.expire_all()
    government = session.scalar(select(WorkCalendar).where(WorkCalendar.name == "government"))
    assert government is not None
    [change] = session.scalars(
        select(CalendarChange).where(CalendarChange.calendar_id == government.id)
    ).all()
    assert (change.kind, change.actor_id) == ("day_added", user(session, "admin").id)
    assert day.isoformat() in (change.after_json or "") and day.isoformat() not in (change.before_json or "")
    assert (
        session.scalar(select(CalendarException.reason).where(CalendarException.day == day))
        == "Sub-decree 42"
    )
    assert (open_task(session, case).due_at or before) > before


def test_only_administrators_edit_calendars_and_every_form_needs_its_token(client: FlaskClient) -> None:
    sign_in(client, "sup.ac")
    assert client.get("/sla/calendars").status_code == 403
    assert post(client, "/sla/calendars/government/week", {"day_0": "08:00-12:00"}).status_code == 403

    sign_in(client, "admin")
    assert client.post("/sla/calendars/government/week", data={"day_0": "08:00-12:00"}).status_code == 400
    assert client.get("/sla/calendars/district").status_code == 404


def test_the_report_counts_met_steps_draws_a_chart_and_exports_csv(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    session.commit()
    sign_in(client, "sup.ac")

    page = client.get("/sla/report").get_data(as_text=True)
    csv_text = client.get("/sla/report?format=csv").get_data(as_text=True)

    assert "<svg" in page and "Check the documents" in page
    assert csv_text.splitlines()[0] == "process,step,office,month,cases,met,breached,median_hours,p90_hours"
    assert any(
        line.startswith("ssdm_programme_application,Check the documents,1701,")
        for line in csv_text.splitlines()
    )
    assert case.reference and "Check the documents" in client.get("/sla/report?area=170101").get_data(
        as_text=True
    )
    assert client.get("/sla/report?area=1712").status_code == 404  # another district
    assert client.get("/sla/report?area=17").status_code == 404  # the whole province


def test_an_office_put_on_the_nssf_calendar_gets_its_new_steps_due_on_it(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    sign_in(client, "admin")
    assert post(client, "/sla/calendars/nssf/offices", {"area_code": "1701"}).status_code == 302
    assert post(client, "/sla/calendars/nssf/offices", {"area_code": "99"}).status_code == 422

    task = open_task(session, open_case(session, process_engine))
    page = client.get("/sla/calendars/nssf").get_data(as_text=True)

    assert task.sla_calendar == "nssf"
    assert "1701" in page and 'data-kind="office_assigned"' in page
