"""The public check of a letter: what it is and who issued it, never who received it.

The key is the letter's verification token (128 random bits, printed on the letter and in its QR code), so
the sequential reference alone reveals nothing; every look-up counts against the reader's address."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.domain.errors import NotFound
from webapp.domain.letters import Letter
from webapp.domain.messages import N_
from webapp.services.platform.throttle import check_public_lookup

PAGE = "verify"
TOKEN_LENGTH = 22  # secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Verification:
    """What the public page may show: no names, only initials."""

    reference: str
    type_label: str
    issued_on: date
    issued_at: datetime
    office: list[Area]
    office_name: str  # English message id of the issuing office a family names; "" for the one-stop office
    sha256: str
    recipient_initials: str
    corrected_by: str | None


class UnknownLetter(NotFound):
    message = N_("No letter has this verification code. Check the code printed under the QR code.")


def verify(session: Session, *, token: str, client: str, now: datetime) -> Verification:
    """The letter whose token this is; a wrong token and a rate-limited reader learn nothing."""
    check_public_lookup(session, page=PAGE, client=client, now=now)
    token = token.strip()
    letter = None
    if len(token) == TOKEN_LENGTH:
        letter = session.scalar(select(Letter).where(Letter.verify_token == token))
    if letter is None:
        raise UnknownLetter()
    correction = session.scalar(select(Letter.reference).where(Letter.corrects_id == letter.id))
    return Verification(
        reference=letter.reference,
        type_label=letter.type_label,
        issued_on=letter.issued_on,
        issued_at=letter.issued_at,
        office=_office_path(session, letter.office_code),
        office_name=letter.office_name,
        sha256=letter.sha256,
        recipient_initials=letter.recipient_initials,
        corrected_by=correction,
    )


def verify_path(token: str) -> str:
    """Where a letter's QR code points, below the public address."""
    return f"/verify/{token}"


def _office_path(session: Session, code: str) -> list[Area]:
    codes = [code[:n] for n in (2, 4, 6, 8) if len(code) >= n]
    return list(session.scalars(select(Area).where(Area.code.in_(codes)).order_by(Area.code)))
