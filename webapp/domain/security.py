"""What Sala remembers to slow down guessing: sign-in attempts and anonymous look-ups, keyed by hashes."""

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base, utcnow


class SignInAttempt(Base):
    """One sign-in attempt. The account name is kept (it is what an attack targets); the address is hashed."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_username_at", "username", "at"),
        Index("ix_sign_in_attempt_client_hash_at", "client_hash", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client_hash: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class PublicLookup(Base):
    """One anonymous look-up of a public page (letter verification), keyed by a hash of the address."""

    __tablename__ = "public_lookup"
    __table_args__ = (Index("ix_public_lookup_page_client_hash_at", "page", "client_hash", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page: Mapped[str] = mapped_column(String(20))
    client_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
