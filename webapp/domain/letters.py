"""Issued letters: an immutable archive of each rendered PDF with its hash, and how it reached the person."""

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area
from webapp.domain.base import Base, utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import DomainError
from webapp.domain.messages import N_
from webapp.domain.people import User

# letter key (letters/<key>.html) -> English message id of its type, shown to officers and on /verify
LETTER_TYPES = {
    "application_received": N_("Application received"),
    "application_result": N_("Application result"),
    "membership_card": N_("SSDM membership card"),
    "grievance_acknowledgement": N_("Grievance acknowledgement"),
    "grievance_decision": N_("Grievance decision"),
    "escalation_notice": N_("Escalation notice"),
    "nssf_registration_certificate": N_("NSSF registration certificate"),
    "nssf_documents_request": N_("Request for more documents"),
    "nssf_member_card": N_("NSSF member card"),
    "nssf_compliance_notice": N_("Compliance notice"),
    "nssf_fine_decision": N_("Fine decision"),
    "nssf_waiver_decision": N_("Waiver decision"),
}
DELIVERY_METHODS = {
    "in_person": N_("Handed over in person"),
    "commune_meeting": N_("Announced at a commune meeting"),
    "village_chief": N_("Through the village chief"),
    "post": N_("By post"),
}
# Everything that makes up the letter as issued; only the delivery columns may change afterwards.
IMMUTABLE = (
    "reference",
    "case_id",
    "key",
    "language",
    "template_version",
    "sha256",
    "issued_on",
    "issued_at",
    "issued_by_id",
    "corrects_id",
    "fields_json",
    "verify_token",
)


def new_verify_token() -> str:
    """128 random bits, URL-safe: printed on the letter and in its QR code, the only key to /verify."""
    return secrets.token_urlsafe(16)


class LetterImmutable(DomainError):
    message = N_("An issued letter cannot be changed; issue a correction instead.")
    status = 409


class LetterBlob(Base):
    """The PDF, stored once per SHA-256; a reprint reads these bytes back, it never renders again."""

    __tablename__ = "letter_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Letter(Base):
    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))  # letters/<key>.html
    language: Mapped[str] = mapped_column(String(4))  # km, en or both
    template_version: Mapped[str] = mapped_column(String(64))  # SHA-256 of the template files
    sha256: Mapped[str] = mapped_column(ForeignKey("letter_blob.sha256"))
    size: Mapped[int] = mapped_column(Integer)
    html: Mapped[str] = mapped_column(Text, deferred=True)  # the rendered HTML, for preview and the QR target
    fields_json: Mapped[str] = mapped_column(Text, default="{}")  # the facts printed, for a correction
    office_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    recipient_initials: Mapped[str] = mapped_column(String(20))
    # Whom the letter is addressed to, as printed: a correction goes to the same recipient (an enterprise's
    # case has no person to re-address it to).
    recipient_km: Mapped[str] = mapped_column(String(200), default="", server_default="")
    recipient_latin: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The issuing office named by the family's letterhead (an English message id; "" for the one-stop office,
    # which the verification page names by its area alone).
    office_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id"))
    delivered_at: Mapped[date | None] = mapped_column(Date)
    delivered_how: Mapped[str | None] = mapped_column(String(20))
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    verify_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_verify_token)

    case: Mapped[Case] = relationship(lazy="joined")
    office: Mapped[Area] = relationship(lazy="joined")
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    delivered_by: Mapped[User | None] = relationship(foreign_keys=[delivered_by_id])
    corrects: Mapped["Letter | None"] = relationship(remote_side=[id])

    @property
    def type_label(self) -> str:
        return LETTER_TYPES.get(self.key, self.key)


@event.listens_for(Letter, "before_update")
def _refuse_changes(_mapper: Any, _connection: Any, letter: Letter) -> None:
    state = inspect(letter)
    for name in IMMUTABLE:
        if state.attrs[name].history.has_changes():
            raise LetterImmutable()


class LetterBatch(Base):
    """A requested commune batch: its address carries a random token, never the sequential job number."""

    __tablename__ = "letter_batch"

    token: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_verify_token)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id"), unique=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
