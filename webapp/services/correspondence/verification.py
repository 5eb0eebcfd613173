"""The public check of a letter's reference: what it is and who issued it, never who received it."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.domain.errors import NotFound
from webapp.domain.letters import Letter
from webapp.domain.messages import N_


@dataclass(frozen=True)
class Verification:
    """What the public page may show: no names, only initials."""

    reference: str
    type_label: str
    issued_on: date
    issued_at: datetime
    office: list[Area]
    sha256: str
    recipient_initials: str
    corrected_by: str | None


def verify(session: Session, *, reference: str) -> Verification:
    letter = session.scalar(select(Letter).where(Letter.reference == reference.strip()[:40]))
    if letter is None:
        raise NotFound(N_("No letter has this reference. It was not issued by Sala."))
    correction = session.scalar(select(Letter.reference).where(Letter.corrects_id == letter.id))
    return Verification(
        reference=letter.reference,
        type_label=letter.type_label,
        issued_on=letter.issued_on,
        issued_at=letter.issued_at,
        office=_office_path(session, letter.office_code),
        sha256=letter.sha256,
        recipient_initials=letter.recipient_initials,
        corrected_by=correction,
    )


def _office_path(session: Session, code: str) -> list[Area]:
    codes = [code[:n] for n in (2, 4, 6, 8) if len(code) >= n]
    return list(session.scalars(select(Area).where(Area.code.in_(codes)).order_by(Area.code)))
