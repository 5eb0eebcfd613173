"""Drafts of process definitions, the audit of publishing, and the record of each case moved to a version."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_
from webapp.domain.people import User

# Who may edit, validate, publish and migrate processes.
EDITOR_ROLES = frozenset({"district_supervisor", "administrator"})


@dataclass(frozen=True)
class ValidationProblem:
    """One reason a diagram may not be published: where, what is wrong and how to fix it (message ids)."""

    element_id: str
    element_name: str
    message: str
    hint: str
    params: Mapping[str, str] = field(default_factory=dict)


DRAFT_OPEN = "open"
DRAFT_PUBLISHED = "published"


class WorkflowDraft(Base):
    """A process diagram being edited: its BPMN text, the version it started from, and who touched it."""

    __tablename__ = "workflow_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    # None: a new process, imported from another modeller, that has no published version yet.
    parent_version_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_version.id"))
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default=DRAFT_OPEN)
    published_version_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_version.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id], lazy="joined")


class WorkflowEvent(Base):
    """The audit of every publishing action: saved, refused, published, exported, cases migrated."""

    __tablename__ = "workflow_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_id: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # see WORKFLOW_EVENT_KINDS
    version_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_version.id"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_draft.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail_json: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


WORKFLOW_EVENT_KINDS = {
    "draft_saved": N_("Draft saved"),
    "draft_imported": N_("Draft imported from another modeller"),
    "publish_refused": N_("Publishing refused"),
    "version_published": N_("Version published"),
    "version_exported": N_("Version exported"),
    "version_withdrawn": N_("Version withdrawn: new cases use the previous one"),
    "case_migrated": N_("Case moved to another version"),
    "migration_reverted": N_("Case moved back to its previous version"),
}


class CaseMigration(Base):
    """One case moved to another version, with what is needed to move it back until it moves on."""

    __tablename__ = "case_migration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("workflow_version.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("workflow_version.id"))
    previous_state: Mapped[str] = mapped_column(Text, deferred=True)
    previous_state_version: Mapped[int] = mapped_column(Integer)
    # The case's optimistic-lock version right after the move: any later change makes it irreversible.
    case_row_version: Mapped[int] = mapped_column(Integer)
    migrated_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    migrated_at: Mapped[datetime] = mapped_column(default=utcnow)
    reverted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reverted_at: Mapped[datetime | None]
