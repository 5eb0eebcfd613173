"""NSSF letters as NSSF issues them: the office and signer of each letter (the family's letterhead hook), and
the enterprise's facts every letter to an employer prints, with its full address from the gazetteer.

The case's area decides the office: a case of Phnom Penh is a national one, issued by the head office and
signed by the NSSF national officer; any other case is issued by the NSSF branch of its province and signed
by that province's NSSF chief (by the national officer while the province has none in Sala)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.domain.cases import Case
from webapp.domain.messages import N_
from webapp.domain.nssf import Enterprise
from webapp.domain.people import ROLES, RoleName, User
from webapp.services.casework.families import Letterhead
from webapp.services.nssf.places import full_address

HEAD_OFFICE_AREA = "12"  # Phnom Penh Capital
HEAD_OFFICE_ADDRESS = "1208"  # Khan Sen Sok, where the NSSF headquarters stand
HEAD_OFFICE_NAME = N_("National Social Security Fund")
BRANCH_NAME = N_("National Social Security Fund, provincial branch")
CONTACT = N_("NSSF hotlines: 1286 and 1297 · www.nssf.gov.kh")
MUNICIPALITY_KM = "ក្រុង"


def nssf_letterhead(session: Session, case: Case, key: str) -> Letterhead:
    """The head office for a case of Phnom Penh, else the branch of the case's province; and its signer."""
    province = case.area_code[:2]
    national = _signer(session, RoleName.NSSF_NATIONAL_OFFICER, None)
    if province == HEAD_OFFICE_AREA:
        office, name, seat, signer = HEAD_OFFICE_AREA, HEAD_OFFICE_NAME, HEAD_OFFICE_ADDRESS, national
    else:
        office, name, seat = province, BRANCH_NAME, _seat(session, province)
        signer = _signer(session, RoleName.NSSF_CHIEF, province) or national
    title = ROLES[signer.role if signer is not None else RoleName.NSSF_NATIONAL_OFFICER].label
    return Letterhead(
        office_code=office,
        office_name=name,
        signer_title=title,
        signer_name=signer.full_name if signer is not None else "",
        address_code=seat,
        contact=CONTACT,
    )


def _signer(session: Session, role: str, area_code: str | None) -> User | None:
    """The active officer of this role for the area (the first one named, when there are several)."""
    area = User.area_code.is_(None) if area_code is None else User.area_code == area_code
    return session.scalar(
        select(User).where(User.role == role, User.active.is_(True), area).order_by(User.id).limit(1)
    )


def _seat(session: Session, province: str) -> str:
    """Where a branch stands: the province's municipality of the same name (Siem Reap Municipality in Siem
    Reap Province), else the province itself."""
    area = session.get(Area, province)
    if area is None:
        return province
    seat = session.scalar(
        select(Area.code).where(
            Area.parent_code == province, Area.unit_km == MUNICIPALITY_KM, Area.name_latin == area.name_latin
        )
    )
    return seat or province


def enterprise_facts(session: Session, enterprise: Enterprise) -> dict[str, Any]:
    """What identifies the employer on an NSSF letter: its employer number once registered, its business
    registration number, and its full address."""
    return {
        "employer_number": enterprise.employer_number or "",
        "registration_number": enterprise.registration_number or "",
        "address": full_address(session, enterprise.area_code),
    }
