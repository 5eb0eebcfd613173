"""Deployed process definitions: one row per process and content hash, numbered per process."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow


class WorkflowVersion(Base):
    __tablename__ = "workflow_version"
    __table_args__ = (
        UniqueConstraint("process_id", "content_hash", name="uq_workflow_version_hash"),
        UniqueConstraint("process_id", "version", name="uq_workflow_version_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    # Large and immutable, so loaded only when asked for (the services cache the spec per version).
    # files_json maps each file name ("x.bpmn", "y.dmn") to its XML; spec_json is the serialized spec.
    files_json: Mapped[str] = mapped_column(Text, deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
