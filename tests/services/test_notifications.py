"""Officers' notifications: who is told of a task, in which language, by which channel and when; the
deadline sweeps' notices; a beneficiary's SMS when a letter is ready."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import DOCUMENTS_OK, drain_jobs, open_case, open_task, user, work
from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.jobs import Job
from webapp.domain.notifications import (
    EMAIL,
    SENT,
    SKIPPED,
    SMS,
    Notification,
    NotificationKind,
    OutboundMessage,
)
from webapp.services.casework.tasks import claim_task, reassign_task
from webapp.services.deadlines.sweeps import remind_at_risk, remind_overdue
from webapp.services.notifications.channels import ChannelConfig, Channels, DemoOutbox
from webapp.services.notifications.delivery import DELIVERY_JOB, send_after
from webapp.services.notifications.preferences import Choices, save_preferences
from webapp.services.notifications.reading import mark_all_read, open_notification, unread_count
from webapp.services.platform.jobs import WorkerContext

# A Tuesday in Phnom Penh: 10:00 local is 03:00 UTC, inside working hours; 20:00 local is 13:00 UTC.
WORKING = datetime(2026, 11, 17, 3, 0)
EVENING = datetime(2026, 11, 17, 13, 0)


def notes_of(session, username: str) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user(session, username).id)
            .order_by(Notification.id)
        )
    )


def wants(session, username: str, *, email: str = "", phone: str = "") -> None:
    save_preferences(
        session,
        user=user(session, username),
        choices=Choices(email=email, phone=phone, by_email=bool(email), by_sms=bool(phone)),
    )


def test_a_new_task_is_told_to_its_role_in_its_area_and_not_to_the_officer_whose_step_opened_it(
    session, process_engine
):
    case = open_case(session, process_engine)  # the commune's intake opens the district's document check
    (note,) = notes_of(session, "ssdm.ac")
    assert (note.kind, note.reference, note.task_name) == (
        NotificationKind.TASK_ARRIVED,
        case.reference,
        open_task(session, case).name,
    )
    assert notes_of(session, "ssdm.ss") == []  # the other district
    assert notes_of(session, "ca.charchhuk") == []  # the officer who did the intake


def test_a_notice_of_a_task_taken_before_it_was_read_is_set_aside(session, process_engine):
    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    (note,) = notes_of(session, "ssdm.ac")
    assert note.read_at is not None
    assert unread_count(session, user=user(session, "ssdm.ac")) == 0


def test_a_reassigned_task_is_told_to_its_new_holder(session, process_engine):
    case = open_case(session, process_engine)
    task = open_task(session, case)
    supervisor = user(session, "sup.ac")
    reassign_task(session, task_id=task.id, assignee_id=user(session, "ssdm.ac").id, actor=supervisor)
    kinds = [note.kind for note in notes_of(session, "ssdm.ac")]
    assert kinds == [NotificationKind.TASK_ARRIVED, NotificationKind.TASK_REASSIGNED]


def test_a_bulk_reassignment_tells_the_new_holder_of_each_task(session, process_engine):
    from webapp.services.casework.bulk import reassign_tasks

    tasks = [open_task(session, open_case(session, process_engine)) for _ in range(2)]
    holder = user(session, "ssdm.ac")
    reassign_tasks(
        session, task_ids=[t.id for t in tasks], assignee_id=holder.id, actor=user(session, "sup.ac")
    )
    told = [n.task_id for n in notes_of(session, "ssdm.ac") if n.kind == NotificationKind.TASK_REASSIGNED]
    assert told == [t.id for t in tasks]


def test_email_and_sms_are_queued_with_the_notice_in_the_officer_s_language(session, process_engine):
    wants(session, "ssdm.ac", email="ssdm.ac@example.gov.kh", phone="+85512345678")
    user(session, "ssdm.ac").locale = "en"
    case = open_case(session, process_engine)
    messages = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
    assert [(m.channel, m.address, m.language) for m in messages] == [
        (EMAIL, "ssdm.ac@example.gov.kh", "en"),
        (SMS, "+85512345678", "en"),
    ]
    assert messages[1].body == f"New task for you: Check the documents, case {case.reference}."
    assert messages[0].subject == f"Sala: {case.reference}"
    assert f"/notifications/{messages[0].notification_id}/open" in messages[0].body
    jobs = session.scalars(select(Job).where(Job.kind == DELIVERY_JOB)).all()
    assert len(jobs) == 2


def test_a_khmer_speaking_officer_is_told_in_khmer(session, process_engine):
    wants(session, "ssdm.ac", phone="+85512345678")
    case = open_case(session, process_engine)
    (message,) = session.scalars(select(OutboundMessage)).all()
    assert message.language == "km"
    assert message.body.startswith("កិច្ចការថ្មីសម្រាប់អ្នក៖") and case.reference in message.body


def test_messages_wait_for_working_hours(session):
    assert send_after(session, area_code="1701", now=WORKING) == WORKING
    monday_morning = send_after(session, area_code="1701", now=EVENING)
    assert monday_morning == datetime(2026, 11, 18, 1, 0)  # Wednesday 08:00 in Phnom Penh


def test_the_worker_sends_a_message_and_skips_one_whose_task_is_over(session, process_engine):
    wants(session, "ssdm.ac", phone="+85512345678")
    first = open_case(session, process_engine)
    second = open_case(session, process_engine)
    work(session, process_engine, second, "ssdm.ac", **DOCUMENTS_OK)
    outbox = DemoOutbox("sms")
    context = WorkerContext(
        "tests", resources={"notification_channels": Channels(outbox, outbox, "http://x")}
    )
    _drain_with(session, context)
    by_case = {
        m.case_id: m for m in session.scalars(select(OutboundMessage).where(OutboundMessage.channel == SMS))
    }
    assert (by_case[first.id].status, by_case[first.id].gateway) == (SENT, "demo")
    assert by_case[second.id].status == SKIPPED


def test_a_deactivated_officer_is_sent_nothing(session, process_engine):
    wants(session, "ssdm.ac", phone="+85512345678")
    open_case(session, process_engine)
    user(session, "ssdm.ac").active = False
    outbox = DemoOutbox("sms")
    _drain_with(
        session, WorkerContext("tests", resources={"notification_channels": Channels(outbox, outbox, "")})
    )
    (message,) = session.scalars(select(OutboundMessage).where(OutboundMessage.channel == SMS)).all()
    assert message.status == SKIPPED


def test_the_at_risk_sweep_tells_the_holder_and_the_overdue_sweep_tells_once_and_urgently(
    session, process_engine
):
    case = open_case(session, process_engine)
    task = open_task(session, case)
    claim_task(session, task_id=task.id, actor=user(session, "ssdm.ac"))
    wants(session, "ssdm.ac", phone="+85512345678")
    task.at_risk_at, task.due_at = WORKING - timedelta(days=1), WORKING + timedelta(hours=1)
    session.flush()
    context = WorkerContext("tests")
    assert remind_at_risk(session, WORKING, context) == 1
    task.due_at = WORKING - timedelta(minutes=1)
    session.flush()
    assert remind_overdue(session, EVENING, context) == 1
    assert remind_overdue(session, EVENING, context) == 0
    kinds = [(n.kind, n.urgent) for n in notes_of(session, "ssdm.ac")]
    assert kinds[-2:] == [(NotificationKind.TASK_AT_RISK, False), (NotificationKind.TASK_OVERDUE, True)]
    urgent = session.scalars(select(OutboundMessage).where(OutboundMessage.urgent)).one()
    job = session.scalars(select(Job).where(Job.kind == DELIVERY_JOB).order_by(Job.id.desc())).first()
    assert urgent.body.endswith("ហួសថ្ងៃផុតកំណត់ហើយ។") and job.run_after <= datetime.now()  # out at once


def test_an_officer_opens_only_their_own_notifications_and_marks_them_read(session, process_engine):
    open_case(session, process_engine)
    (note,) = notes_of(session, "ssdm.ac")
    with pytest.raises(NotFound):
        open_notification(session, notification_id=note.id, user=user(session, "ssdm.ss"))
    assert open_notification(session, notification_id=note.id, user=user(session, "ssdm.ac")).read_at
    open_case(session, process_engine)
    assert mark_all_read(session, user=user(session, "ssdm.ac")) == 1
    assert unread_count(session, user=user(session, "ssdm.ac")) == 0


def test_a_beneficiary_with_a_phone_gets_one_sms_when_letters_are_ready_in_the_letter_s_language(
    session, process_engine
):
    case = open_case(session, process_engine, phone="012345678", letter_language="en")
    outbox = DemoOutbox("sms")  # the worker issues the "application received" letter, then sends the SMS
    _drain_with(
        session, WorkerContext("tests", resources={"notification_channels": Channels(outbox, outbox, "")})
    )
    (message,) = session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.case_id == case.id, OutboundMessage.notification_id.is_(None)
        )
    ).all()
    assert (message.address, message.language, message.status) == ("012345678", "en", SENT)
    assert (
        message.body
        == f"Sala: a letter about your case {case.reference} is ready. Collect it at your commune office."
    )


def test_a_beneficiary_without_a_phone_gets_no_sms(session, process_engine):
    case = open_case(session, process_engine)
    drain_jobs(session)
    assert (
        session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.case_id == case.id, OutboundMessage.notification_id.is_(None)
            )
        ).all()
        == []
    )


def test_preferences_need_an_address_for_each_channel_turned_on(session):
    with pytest.raises(InvalidInput) as refused:
        save_preferences(
            session, user=user(session, "ssdm.ac"), choices=Choices("not-an-address", "", False, True)
        )
    assert set(refused.value.errors) == {"email", "phone"}


def _drain_with(session, context: WorkerContext) -> None:
    from webapp.services.assembly.worker import HANDLERS
    from webapp.services.platform.jobs import run_job, take_job

    while (job := take_job(session, worker_id="tests", now=datetime.now() + timedelta(days=7))) is not None:
        run_job(session, job, HANDLERS, context)


def test_channels_fall_back_to_the_demo_outbox_without_servers():
    from webapp.services.notifications.channels import build_channels

    channels = build_channels(ChannelConfig())
    assert (channels.email.name, channels.sms.name) == ("demo", "demo")
