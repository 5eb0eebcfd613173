"""Who may do what in the registry: read a person of one's area, propose a change, decide one, merge."""

from sqlalchemy.orm import Session

from webapp.domain.errors import NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.registry import Person

# The district decides changes and merges (the person's district: the area rule says which).
DECIDING_ROLES = frozenset({RoleName.DISTRICT_SSDM_ASSISTANT, RoleName.DISTRICT_SUPERVISOR})
# Those who meet people and may propose a change to their record.
PROPOSING_ROLES = frozenset(
    {
        RoleName.COMMUNE_ASSISTANT,
        RoleName.DISTRICT_SSDM_ASSISTANT,
        RoleName.DISTRICT_SUPERVISOR,
        RoleName.INTER_SECTOR_OFFICER,
    }
)


def get_person(session: Session, *, person_id: int, user: User) -> Person:
    """A person of the user's area; out of the area (or unknown) is not found."""
    person = session.get(Person, person_id)
    if person is None or not user.active or not user.covers(person.village_code):
        raise NotFound(N_("Person not found."))
    return person


def may_decide(user: User, person: Person) -> bool:
    return user.active and user.role in DECIDING_ROLES and user.covers(person.village_code)


def may_propose(user: User, person: Person) -> bool:
    return user.active and user.role in PROPOSING_ROLES and user.covers(person.village_code)


def check_decides(user: User, person: Person) -> None:
    if not may_decide(user, person):
        raise PermissionDenied(N_("Only the district SSDM assistant or supervisor of this person decides."))
