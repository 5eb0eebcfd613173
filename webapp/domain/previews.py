"""Document previews: a small PNG of each document's first page, rendered once per file content."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow


class DocumentThumbnail(Base):
    """A small PNG of a document's first page, rendered once per file content and kept."""

    __tablename__ = "document_thumbnail"

    sha256: Mapped[str] = mapped_column(ForeignKey("document_blob.sha256"), primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
