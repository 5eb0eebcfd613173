"""What the NSSF family shares between its use cases: numbering, places, letters' recipients, scope checks."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.cases import ReferenceCounter
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.nssf import Enterprise
from webapp.domain.people import RoleName, User
from webapp.letters import Place

ENTERPRISE_PROCESS = "nssf_enterprise_registration"
MEMBER_PROCESS = "nssf_member_registration"
COMPLIANCE_PROCESS = "nssf_compliance"
OFFICERS = (RoleName.NSSF_REGISTRATION_OFFICER,)
INSPECTORS = (RoleName.NSSF_INSPECTOR,)
# Who reads the registries and the report: every NSSF role, each in its own area (national: everywhere).
READERS = (
    RoleName.NSSF_REGISTRATION_OFFICER,
    RoleName.NSSF_INSPECTOR,
    RoleName.NSSF_CHIEF,
    RoleName.NSSF_NATIONAL_OFFICER,
    RoleName.ADMINISTRATOR,
)


def reserve_numbers(session: Session, *, prefix: str, province: str, year: int, count: int) -> list[str]:
    """`count` consecutive numbers in one update of the counter: a list of thousands takes one statement."""
    scope = f"{prefix}-{province}-{year}"
    return [f"{scope}-{number:06d}" for number in reserve_block(session, scope=scope, count=count)]


def reserve_block(session: Session, *, scope: str, count: int) -> range:
    """The next `count` numbers of a counter; the row's update serialises concurrent requests."""
    last = session.scalar(
        update(ReferenceCounter)
        .where(ReferenceCounter.scope == scope)
        .values(last=ReferenceCounter.last + count)
        .returning(ReferenceCounter.last)
    )
    if last is None:
        session.add(ReferenceCounter(scope=scope, last=count))
        session.flush()
        last = count
    return range(last - count + 1, last + 1)


def commune_or_village(session: Session, code: str, actor: User | None) -> Area:
    """An address for a case: a commune or village, inside the officer's area when an officer records it."""
    area = session.get(Area, code)
    if area is None or area.level not in (AreaLevel.COMMUNE, AreaLevel.VILLAGE):
        raise InvalidInput({"area_code": [N_("Choose a commune or village from the list.")]})
    if actor is not None and not actor.covers(code):
        raise InvalidInput({"area_code": [N_("Choose a village or commune of your area.")]})
    return area


def place(session: Session, code: str) -> Place | None:
    area = session.get(Area, code)
    return Place.of(area) if area is not None else None


def enterprise_by_employer_number(session: Session, number: str, actor: User) -> Enterprise:
    enterprise = session.scalar(select(Enterprise).where(Enterprise.employer_number == number.strip()))
    if enterprise is None or not actor.covers(enterprise.area_code):
        raise InvalidInput({"employer_number": [N_("No registered enterprise has this employer number.")]})
    return enterprise
