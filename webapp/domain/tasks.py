"""The task table: a projection of each case's ready human tasks that the inbox reads."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.cases import Case
from webapp.domain.people import User

OPEN = "open"
COMPLETED = "completed"
CANCELLED = "cancelled"
# What the SLA report reads of a completed step, carried in its completion index (PostgreSQL's INCLUDE), so a
# month of the nation is counted from the index without visiting the table.
REPORT_COLUMNS = (
    "process_id",
    "name",
    "area_code",
    "due_at",
    "case_id",
    "created_at",
    "sla_calendar",
    "working_seconds",
)


class Task(Base):
    __tablename__ = "task"
    # Open work is a small, hot slice of a table that grows with history: partial indexes keep the inbox,
    # the supervisor's pages and the sweeps reading only open rows however many completed ones pile up.
    __table_args__ = (
        Index("ix_task_inbox", "status", "role", "area_code", "due_at"),
        Index(
            "ix_task_open_role_area",
            "role",
            "area_code",
            "due_at",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "ix_task_open_assignee",
            "assignee_id",
            "due_at",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "ix_task_open_due",
            "due_at",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "ix_task_completed_report",
            "completed_at",
            postgresql_include=list(REPORT_COLUMNS),
            postgresql_where=text("status = 'completed'"),
            sqlite_where=text("status = 'completed'"),
        ),
        Index("ix_task_case_completed", "case_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(80), default="", server_default="")  # the case's, copied
    engine_task_id: Mapped[str] = mapped_column(String(36), index=True)
    spec_name: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))  # English message id from the BPMN
    form_key: Mapped[str | None] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(40))
    area_code: Mapped[str] = mapped_column(String(8))  # the case's area cut to the role's level
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    # The SLA of the step: its target (ISO working duration) and calendar, and when it turns at risk;
    # due_at and at_risk_at are recomputed from the case's events whenever a calendar or a pause changes.
    sla_target: Mapped[str | None] = mapped_column(String(20))
    sla_calendar: Mapped[str | None] = mapped_column(String(40))
    at_risk_at: Mapped[datetime | None] = mapped_column(index=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    completed_at: Mapped[datetime | None]
    # Working seconds from opening to completion on the step's calendar, set at completion for the SLA
    # report; null for steps completed before it was kept (the report computes those when it reads them).
    working_seconds: Mapped[int | None] = mapped_column(Integer)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted_json: Mapped[str | None] = mapped_column(Text)  # what the officer entered, for the case page

    case: Mapped[Case] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
