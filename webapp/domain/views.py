"""Saved views: an officer's named filters and sort of one list, shown as tabs above it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow

VIEW_NAME_LENGTH = 60
VIEW_QUERY_LENGTH = 2000


class SavedView(Base):
    """The query string is kept as the officer saved it and parsed again, like any link, when applied."""

    __tablename__ = "saved_view"
    __table_args__ = (UniqueConstraint("user_id", "list_name", "name", name="uq_saved_view_user_list_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(VIEW_NAME_LENGTH))
    query: Mapped[str] = mapped_column(String(VIEW_QUERY_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
