"""Background jobs: work a request hands to Sala's worker (rendering a batch of letters, say)."""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow

QUEUED = "queued"
DONE = "done"
FAILED = "failed"
MAX_ATTEMPTS = 3


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_queue", "status", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    result_json: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)


# Job kinds one family sends to another (families never import each other; they meet through jobs).
RESUBMIT_APPLICATION = "resubmit_application"  # a grievance's level 1 resubmits the contested application
APPEAL_NSSF_DECISION = "appeal_nssf_decision"  # an employer appeals an NSSF fine: a social security complaint
