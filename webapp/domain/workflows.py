"""Deployed process definitions: one row per process and content hash, numbered per process."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow

# New cases start on the newest published version; an archived one serves only the cases already on it.
PUBLISHED = "published"
ARCHIVED = "archived"


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
    # Deployed = published: files of workflows/ at start-up, or a draft published in the modeler.
    status: Mapped[str] = mapped_column(String(10), default=PUBLISHED, server_default=text("'published'"))
    parent_version_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_version.id"))
    change_note: Mapped[str] = mapped_column(String(500), default="", server_default=text("''"))
