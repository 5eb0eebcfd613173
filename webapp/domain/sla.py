"""SLA tables: named working calendars and their days off, policies, the calendar audit and waiting timers."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.people import User

DEFAULT_CALENDAR = "government"
WAITING = "waiting"
FIRED = "fired"
CANCELLED = "cancelled"
# The rows of reference_stamp: one for the calendar tables, one for the SLA policies, one for the programmes
# and one for the workflow versions (migration 0033).
CALENDARS_STAMP = "calendars"
POLICIES_STAMP = "policies"
PROGRAMMES_STAMP = "programmes"
WORKFLOWS_STAMP = "workflows"
RULES_STAMP = "rules"
USERS_STAMP = "users"


class WorkCalendar(Base):
    """A named calendar; its weekly periods are JSON {"0": [["08:00", "12:00"], ...]} with Monday as 0."""

    __tablename__ = "work_calendar"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))  # English message id
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Phnom_Penh")
    weekly_json: Mapped[str] = mapped_column(Text)
    public_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    exceptions: Mapped[list["CalendarException"]] = relationship(
        back_populates="calendar", order_by="CalendarException.day", cascade="all, delete-orphan"
    )


class CalendarException(Base):
    """A decreed day off (working=False) or working day (working=True), with the decree's reason."""

    __tablename__ = "calendar_exception"
    __table_args__ = (UniqueConstraint("calendar_id", "day", name="uq_calendar_exception_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("work_calendar.id"), index=True)
    day: Mapped[date]
    working: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(200))

    calendar: Mapped[WorkCalendar] = relationship(back_populates="exceptions")


class AreaCalendar(Base):
    """An office names its calendar: the area's code; the longest matching prefix wins."""

    __tablename__ = "area_calendar"

    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("work_calendar.id"))


class CalendarChange(Base):
    """The audit of every calendar edit: who, when, and the calendar before and after, as JSON."""

    __tablename__ = "calendar_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("work_calendar.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


class SlaPolicyRecord(Base):
    """A case-level clock of a process (a step's own clock is the slaTarget property of its BPMN task)."""

    __tablename__ = "sla_policy"
    __table_args__ = (UniqueConstraint("process_id", "clock", name="uq_sla_policy_clock"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80))
    clock: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(20))  # ISO 8601 working duration: P5D, PT4H
    at_risk_first: Mapped[float] = mapped_column(Float, default=0.5)
    at_risk_second: Mapped[float] = mapped_column(Float, default=0.8)
    pause_tasks: Mapped[str] = mapped_column(String(400), default="")  # BPMN task ids, comma-separated
    on_reopen: Mapped[str] = mapped_column(String(10), default="resume")  # "resume" or "stop"
    calendar_name: Mapped[str | None] = mapped_column(String(40))  # None: the case's office calendar
    # Moved by every edit through the ORM (the deadlines' caches follow reference_stamp, which triggers move).
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )


class ReferenceStamp(Base):
    """A counter the deadlines key their in-memory calendars and policies on. Database triggers (migration
    0032) move "calendars" with every statement that writes work_calendar, calendar_exception or
    area_calendar, and "policies" with every one that writes sla_policy, inside the writing transaction, to a
    value it never held before (a PostgreSQL sequence; a random number on SQLite), so a rolled-back edit's
    value never comes back; each database starts them at a random value. "programmes" and "workflows" move
    likewise with programme and workflow_version (migration 0033). A SQLite migration that rebuilds one of
    those tables (batch_alter_table) drops its triggers and must create them again."""

    __tablename__ = "reference_stamp"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class WorkflowTimer(Base):
    """A waiting BPMN timer's due time, so the worker finds due cases without loading every workflow."""

    __tablename__ = "workflow_timer"
    __table_args__ = (
        Index("ix_workflow_timer_due", "status", "due_at"),
        UniqueConstraint("case_id", "engine_task_id", name="uq_workflow_timer_task"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36))
    spec_name: Mapped[str] = mapped_column(String(120))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default=WAITING)
    fired_at: Mapped[datetime | None]
    fired_by: Mapped[str | None] = mapped_column(String(80))
