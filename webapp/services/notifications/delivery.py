"""Messages on their way out: queued with the event that causes them, sent by the worker in working hours.

A message is a row and a job. The job sends it through its channel; a gateway that is down or answers
nonsense makes the job fail, and the job queue tries it again and finally lists it for administrators
under Background jobs. Nothing a request or a case step does ever waits for a gateway.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.notifications import (
    EMAIL,
    QUEUED,
    SENT,
    SKIPPED,
    Notification,
    NotificationKind,
    OutboundMessage,
)
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.services.deadlines.calendars import calendar_name_for, load_calendars
from webapp.services.notifications.channels import Channels, configured_channels
from webapp.services.platform.jobs import WorkerContext, enqueue
from webapp.sla.working_time import next_working_moment

DELIVERY_JOB = "deliver_message"
# Told only while the task waits: once done or taken, a "new task" or "near its deadline" message is moot.
WHILE_OPEN = (NotificationKind.TASK_ARRIVED, NotificationKind.TASK_AT_RISK, NotificationKind.TASK_OVERDUE)


def queue_message(
    session: Session,
    *,
    channel: str,
    address: str,
    language: str,
    body: str,
    subject: str = "",
    area_code: str,
    urgent: bool,
    notification: Notification | None = None,
    case_id: int | None = None,
) -> OutboundMessage:
    """Records the message and its delivery job, to run in the working hours of `area_code`'s office
    (at once when urgent)."""
    message = OutboundMessage(
        channel=channel,
        address=address,
        language=language,
        subject=subject,
        body=body,
        notification=notification,
        case_id=case_id,
        urgent=urgent,
        status=QUEUED,
    )
    session.add(message)
    session.flush()
    enqueue(
        session,
        kind=DELIVERY_JOB,
        payload={"message_id": message.id},
        run_after=None if urgent else send_after(session, area_code=area_code, now=utcnow()),
    )
    return message


def send_after(session: Session, *, area_code: str, now: datetime) -> datetime:
    """The next moment the office of `area_code` is at work (now, during working hours)."""
    calendars = load_calendars(session)
    calendar = calendars.get(calendar_name_for(session, area_code))
    return now if calendar is None else next_working_moment(calendar, now)


def deliver_message(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """The worker's job: sends one queued message, or skips it when what it announced is over."""
    message = session.get(OutboundMessage, payload["message_id"])
    if message is None or message.status != QUEUED:
        return {"message": payload["message_id"], "status": "gone"}
    if _moot(session, message.notification):
        message.status = SKIPPED
        return {"message": message.id, "status": SKIPPED}
    channels: Channels = context.resource("notification_channels", configured_channels)
    sender = channels.email if message.channel == EMAIL else channels.sms
    sender.send(message.address, message.subject, message.body)  # raises DeliveryFailed: the job retries
    message.status, message.gateway, message.sent_at = SENT, sender.name, utcnow()
    return {"message": message.id, "status": SENT, "gateway": sender.name}


def _moot(session: Session, notification: Notification | None) -> bool:
    if notification is None:
        return False
    officer = session.get(User, notification.user_id)
    if officer is None or not officer.active:  # a deactivated account hears nothing more
        return True
    if notification.kind not in WHILE_OPEN or notification.task_id is None:
        return False
    task = session.get(Task, notification.task_id)
    if task is None or task.status != OPEN:
        return True
    return task.assignee_id is not None and task.assignee_id != notification.user_id
