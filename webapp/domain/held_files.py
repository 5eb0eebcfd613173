"""Files held while the officer answers a question before saving ("this may be the same person"): the bytes
wait in the document store (`DocumentBlob`) and this row says since when, so that the worker can delete the
bytes once the form's token has run out and no document was filed with them."""

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base

# How long a form keeps its held files (the signed token's life): a form left open over lunch keeps them.
HELD_FOR = timedelta(hours=4)


class HeldFile(Base):
    __tablename__ = "held_file"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("document_blob.sha256"), primary_key=True)
    held_at: Mapped[datetime] = mapped_column(index=True)  # the last time a form held these bytes
