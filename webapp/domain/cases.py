"""A case: one application (or later, grievance) carried by one workflow instance, with its documents."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area
from webapp.domain.base import Base, utcnow
from webapp.domain.registry import Person, Programme
from webapp.domain.workflows import WorkflowVersion

OPEN = "open"
CLOSED = "closed"


class Outcome(StrEnum):
    """What a case's process ends with (the BPMN sets `outcome`), as letters, pages and reports read it."""

    APPROVED = "approved"
    REJECTED = "rejected"
    REGISTERED = "registered"


DOCUMENT_KINDS = ("family_book", "birth_certificate", "id_card", "other")


class Case(Base):
    __tablename__ = "case_file"
    # The case list pages by (created_at, id); open cases of an area are what supervisors' pages start from.
    __table_args__ = (
        Index("ix_case_file_created", "created_at", "id"),
        # A district's cases newest first (the case list of a district reader matches the expression).
        Index("ix_case_file_district_created", text("substr(area_code, 1, 4)"), "created_at", "id"),
        Index(  # the monitoring report: decisions and working days of a period, from the index alone
            "ix_case_file_closed_application",
            "closed_at",
            postgresql_include=["area_code", "working_days", "programme_code", "outcome", "created_at"],
            postgresql_where=text("status = 'closed' AND programme_code IS NOT NULL"),
            sqlite_where=text("status = 'closed' AND programme_code IS NOT NULL"),
        ),
        Index(
            "ix_case_file_open_area",
            "area_code",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    workflow_version_id: Mapped[int] = mapped_column(ForeignKey("workflow_version.id"))
    # A grievance's case has no applicant nor programme (its complainant lives in `grievance`): nullable
    # in the table, typed as set because every application case has both and only application code reads them.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True, nullable=True)
    programme_code: Mapped[str] = mapped_column(ForeignKey("programme.code"), nullable=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)  # the applicant's village
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)  # serialized workflow, spec left out; never JSONB
    state_version: Mapped[int] = mapped_column(Integer, default=1)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # Whole working days from opening to closing on the government calendar, set when the case closes
    # (services/deadlines/case_times.py), for the monitoring report's processing times.
    working_days: Mapped[int | None] = mapped_column(Integer)
    # Whether the case's clocks are paused (its last pause or resume event was a pause), kept with those
    # events by services/deadlines/due_times.py so a step need not read them back (backfilled by 0031).
    clock_paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __mapper_args__ = {"version_id_col": version_id}

    person: Mapped[Person] = relationship(lazy="joined")
    programme: Mapped[Programme] = relationship(back_populates="applications", lazy="joined")
    area: Mapped[Area] = relationship(lazy="joined")
    workflow_version: Mapped[WorkflowVersion] = relationship(
        lazy="joined"
    )  # small: its big columns are deferred
    documents: Mapped[list["Document"]] = relationship(back_populates="case", order_by="Document.id")


class DocumentBlob(Base):
    """File contents, stored once per SHA-256 in the same transaction as the case."""

    __tablename__ = "document_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("document_blob.sha256"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="documents")


class ReferenceCounter(Base):
    """The last number handed out per reference scope (process prefix, district, year)."""

    __tablename__ = "reference_counter"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
