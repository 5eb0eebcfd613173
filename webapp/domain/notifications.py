"""Notifications: what an officer is told in Sala, by e-mail or by SMS, and the messages on their way out."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_


class NotificationKind:
    """Why an officer is told something; each kind's text is an English message id with placeholders."""

    TASK_ARRIVED = "task_arrived"
    TASK_REASSIGNED = "task_reassigned"
    TASK_AT_RISK = "task_at_risk"
    TASK_OVERDUE = "task_overdue"


NOTIFICATION_TEXTS = {
    NotificationKind.TASK_ARRIVED: N_("New task for you: %(task)s, case %(reference)s."),
    NotificationKind.TASK_REASSIGNED: N_("A supervisor gave you the task %(task)s, case %(reference)s."),
    NotificationKind.TASK_AT_RISK: N_("The task %(task)s, case %(reference)s, is near its deadline."),
    NotificationKind.TASK_OVERDUE: N_("The task %(task)s, case %(reference)s, is past its deadline."),
}
EMAIL_SUBJECT = N_("Sala: %(reference)s")
LETTER_READY_TEXT = N_(
    "Sala: a letter about your case %(reference)s is ready. Collect it at your commune office."
)

IN_APP = "in_app"
EMAIL = "email"
SMS = "sms"
CHANNELS = {EMAIL: N_("E-mail"), SMS: N_("SMS or Telegram")}

QUEUED = "queued"
SENT = "sent"
SKIPPED = "skipped"  # the task was done or taken before the message left: nothing worth sending


class Notification(Base):
    """One thing one officer is told, shown under the bell until they mark it read."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_unread", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), default="")
    task_name: Mapped[str] = mapped_column(String(200), default="")  # English message id from the BPMN
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """How an officer wants to be told beyond Sala itself; no row: in Sala only."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))  # an SMS number or a Telegram chat, per the gateway
    by_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    by_sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboundMessage(Base):
    """An e-mail or SMS on its way out: created with its cause, sent by the worker's delivery job."""

    __tablename__ = "outbound_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    gateway: Mapped[str | None] = mapped_column(String(40))  # which adapter sent it ("smtp", "http", "demo")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    notification: Mapped[Notification | None] = relationship()
