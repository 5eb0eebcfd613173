"""The audit trail of user administration: who created, changed, reset or deactivated which account."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_

# kind -> English message id, shown on the audit page beside the calendar and publishing kinds
ADMIN_KINDS = {
    "user_created": N_("Account created"),
    "user_changed": N_("Account changed"),
    "password_reset": N_("Password reset"),
    "password_changed": N_("Password changed"),
    "user_deactivated": N_("Account deactivated"),
    "user_reactivated": N_("Account reactivated"),
    "people_merged": N_("Two records of one person merged"),
}


class AdminAudit(Base):
    __tablename__ = "admin_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
