"""The bell, the notifications page, opening a notification, the channel preferences, a reassignment's
notice, and the task page's decision context, deadline, document previews and candidates' load."""

from datetime import date

from sqlalchemy import select

from tests.factories import DOCUMENTS_OK, open_case, open_task, user, work
from tests.services.test_committees import sent_up
from tests.web.helpers import post, sign_in
from webapp.domain.notifications import Notification, NotificationKind, NotificationPreference
from webapp.services.grievances.committees import schedule_meeting


def test_the_bell_counts_unread_notifications_and_the_page_lists_them(client, session, process_engine):
    case = open_case(session, process_engine)
    sign_in(client, "ssdm.ac")
    inbox = client.get("/").get_data(as_text=True)
    assert 'class="bell-count" data-unread="1"' in inbox
    page = client.get("/notifications/").get_data(as_text=True)
    assert f"New task for you: Check the documents, case {case.reference}." in page


def test_the_bell_and_the_notices_speak_khmer(client, session, process_engine):
    open_case(session, process_engine)
    sign_in(client, "ssdm.ac", locale="km")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "ការជូនដំណឹង" in page and "កិច្ចការថ្មីសម្រាប់អ្នក៖" in page
    assert 'data-unread="1">១</span>' in page  # the count in Khmer digits


def test_opening_a_notification_marks_it_read_and_goes_to_its_task(client, session, process_engine):
    case = open_case(session, process_engine)
    note = session.scalars(select(Notification).where(Notification.case_id == case.id)).one()
    sign_in(client, "ssdm.ac")
    response = client.get(f"/notifications/{note.id}/open")
    assert response.headers["Location"].endswith(f"/tasks/{open_task(session, case).id}")
    session.expire_all()
    assert note.read_at is not None
    assert "bell-count" not in client.get("/notifications/").get_data(as_text=True)


def test_another_officer_s_notification_is_not_found(client, session, process_engine):
    case = open_case(session, process_engine)
    note = session.scalars(select(Notification).where(Notification.case_id == case.id)).one()
    sign_in(client, "ssdm.ss")
    assert client.get(f"/notifications/{note.id}/open").status_code == 404


def test_mark_all_read_empties_the_bell(client, session, process_engine):
    open_case(session, process_engine)
    open_case(session, process_engine)
    sign_in(client, "ssdm.ac")
    assert post(client, "/notifications/read").status_code == 302
    assert "bell-count" not in client.get("/notifications/").get_data(as_text=True)


def test_an_officer_chooses_email_and_sms_and_is_told_what_is_missing(client, session):
    sign_in(client, "ssdm.ac")
    refused = post(client, "/notifications/preferences", {"by_sms": "1", "phone": "", "email": "nope"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Enter an e-mail address such as name@example.gov.kh." in text
    assert session.get(NotificationPreference, user(session, "ssdm.ac").id) is None
    saved = post(
        client,
        "/notifications/preferences",
        {"by_email": "1", "email": "ssdm.ac@example.gov.kh", "by_sms": "1", "phone": "+855 12 345 678"},
    )
    assert saved.status_code == 302
    pref = session.get(NotificationPreference, user(session, "ssdm.ac").id)
    assert (pref.email, pref.phone, pref.by_email, pref.by_sms) == (
        "ssdm.ac@example.gov.kh",
        "+85512345678",
        True,
        True,
    )


def test_a_supervisor_s_reassignment_is_told_to_the_new_holder(client, session, process_engine):
    case = open_case(session, process_engine)
    task = open_task(session, case)
    sign_in(client, "sup.ac")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "0 open)" in page  # each candidate with their open load
    response = post(client, f"/tasks/{task.id}/reassign", {"assignee_id": str(user(session, "ssdm.ac").id)})
    assert response.status_code == 302
    kinds = session.scalars(
        select(Notification.kind).where(Notification.user_id == user(session, "ssdm.ac").id)
    ).all()
    assert NotificationKind.TASK_REASSIGNED in kinds


def test_the_back_office_task_page_shows_the_decision_context_deadline_and_previews(
    client, session, process_engine
):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    task = open_task(session, case)
    (document,) = case.documents
    sign_in(client, "bo.social.ac")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'id="decision-context"' in page and "Eligible" in page and "People in the household" in page
    assert 'data-sla="on_track"' in page or 'data-sla="at_risk"' in page or 'data-sla="breached"' in page
    thumb = f"/tasks/{task.id}/documents/{document.id}/thumbnail"
    assert thumb in page
    response = client.get(thumb)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"\x89PNG")


def test_an_officer_of_another_district_gets_no_thumbnail(client, session, process_engine):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    task = open_task(session, case)
    (document,) = case.documents
    sign_in(client, "bo.social.ss")
    assert client.get(f"/tasks/{task.id}/documents/{document.id}/thumbnail").status_code == 404


def test_the_committee_agenda_shows_the_first_round_answer_and_who_gave_it(client, session, process_engine):
    grievance = sent_up(session, process_engine)
    meeting = schedule_meeting(
        session, actor=user(session, "cwcc.ac"), meets_on=date(2030, 1, 10), today=date(2026, 11, 20)
    )
    sign_in(client, "cwcc.ac")
    page = client.get(f"/committee/{meeting.id}").get_data(as_text=True)
    assert grievance.reference in page and "data-level-one" in page
    assert "Send it up to the committee" in page
    assert f"Given by {user(session, 'ca.charchhuk').full_name}" in page
