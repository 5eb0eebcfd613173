"""Finding a case or a grievance by its reference (exact, then by prefix), cut to the reader's area; the
person's name is shown only to a reader who may read the case's personal content."""

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.grievances import Grievance
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.people import User
from webapp.services.casework.access import may_read_personal

# APP-1701-2026-00042, GRV-..., or a beginning of one (at least the prefix and its dash).
_REFERENCE = re.compile(r"[A-Z]{2,6}-[0-9A-Z-]*")


@dataclass(frozen=True)
class ReferenceHit:
    case: Case
    grievance: Grievance | None
    name: str | None  # the applicant's or complainant's name, None when the reader may not see it
    exact: bool


def reference_query(query: str) -> str | None:
    """`query` as a reference (Khmer digits, spaces and case forgiven), or None when it cannot be one."""
    text = to_ascii_digits(query).strip().upper().replace(" ", "")
    return text if _REFERENCE.fullmatch(text) else None


def find_references(session: Session, *, user: User, query: str, limit: int = 20) -> list[ReferenceHit]:
    """Cases and grievances of the user's area whose reference is `query` (first) or starts with it."""
    reference = reference_query(query)
    if reference is None:
        return []
    found = session.execute(
        select(Case, Grievance)
        .outerjoin(Grievance, Grievance.case_id == Case.id)
        .where(Case.reference.startswith(reference, autoescape=True), within(Case.area_code, user.scope_code))
        .order_by(Case.reference)
        .limit(limit)
    ).all()
    hits = [
        ReferenceHit(
            case=case,
            grievance=grievance,
            name=_name(session, case, grievance, user),
            exact=case.reference == reference,
        )
        for case, grievance in found
    ]
    return sorted(hits, key=lambda hit: not hit.exact)


def _name(session: Session, case: Case, grievance: Grievance | None, user: User) -> str | None:
    if not may_read_personal(session, case=case, viewer=user):
        return None
    if grievance is not None:
        return None if grievance.anonymous else grievance.complainant_name
    return case.person.name_latin if case.person is not None else None
