"""The inbox and case page show working time left or over, coloured, and the inbox filters by it."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import open_case, open_task
from tests.web.helpers import sign_in
from webapp.domain.base import utcnow
from webapp.domain.sla import WorkflowTimer
from webapp.engine import ProcessEngine
from webapp.services.deadlines.sweeps import fire_due_timers
from webapp.services.platform.jobs import WorkerContext


def test_an_overdue_task_shows_overdue_in_working_time_and_the_breached_filter_keeps_it(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    task = open_task(session, case)
    task.due_at = utcnow() - timedelta(days=10)
    task.at_risk_at = task.due_at - timedelta(days=3)
    session.commit()
    sign_in(client, "ssdm.ac")

    page = client.get("/").get_data(as_text=True)
    breached = client.get("/?sla=breached").get_data(as_text=True)
    on_track = client.get("/?sla=on_track").get_data(as_text=True)

    assert 'class="sla sla-overdue"' in page and "overdue " in page and " h</span>" in page
    assert case.reference in breached
    assert case.reference not in on_track


def test_a_fresh_task_is_on_track_with_days_and_hours_left(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ssdm.ac")

    page = client.get("/?sla=on_track&sort=oldest").get_data(as_text=True)

    assert case.reference in page
    assert 'data-sla="on_track"' in page and " left</span>" in page


def test_the_case_page_shows_the_step_deadline_and_the_application_clock(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ssdm.ac")

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    assert 'data-sla="on_track"' in page
    assert 'data-clock="application"' in page and "Whole application" in page


def test_the_timeline_names_the_deadline_that_fired_and_the_reminder(
    client: FlaskClient, session: Session, process_engine: ProcessEngine
) -> None:
    case = open_case(session, process_engine)
    reminder = session.scalar(
        select(WorkflowTimer.due_at).where(
            WorkflowTimer.case_id == case.id, WorkflowTimer.spec_name == "check_documents_reminder"
        )
    )
    assert reminder is not None
    fire_due_timers(session, reminder, WorkerContext("w1"))
    session.commit()
    sign_in(client, "ssdm.ac")

    page = client.get(f"/cases/{case.id}").get_data(as_text=True)

    assert "Deadline timer fired" in page and "4 working days" in page
    assert "Reminder: the step is at risk of missing its deadline" in page
