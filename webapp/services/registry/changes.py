"""Change requests: a registered person changes only when the district approves, and every state is kept.

An officer (or the application intake, through casework.people.file_change_request) proposes a change with
the fields before and after and a reason; the district SSDM assistant or supervisor of the person's district
approves it (the record takes the new values and a new version) or refuses it (the record stays)."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.base import utcnow
from webapp.domain.errors import ConcurrentChange, InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.registry import (
    ChangeStatus,
    Household,
    HouseholdMember,
    Person,
    PersonChangeRequest,
    PersonVersion,
    Relationship,
    field_value,
    propose_change,
)
from webapp.services.casework.people import index_names, record_version
from webapp.services.registry.access import check_decides, may_propose

MAX_REASON = 1000


def request_change(
    session: Session, *, person: Person, proposed: dict[str, Any], reason: str, actor: User
) -> PersonChangeRequest:
    """An officer's proposed change to `person` (the fields of domain.registry.CHANGEABLE_FIELDS), waiting for
    the district. Refused when nothing differs or the reason is missing."""
    if not may_propose(actor, person):
        raise PermissionDenied(N_("You may not propose changes to this person."))
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput({"reason": [N_("Say why the record must change.")]})
    _check_values(session, person, proposed, actor)
    request = propose_change(person, proposed, reason=reason, requested_by_id=actor.id, source=None)
    if request is None:
        raise InvalidInput({"reason": [N_("Nothing differs from the registered record.")]})
    session.add(request)
    session.flush()
    return request


def _check_values(session: Session, person: Person, proposed: dict[str, Any], actor: User) -> None:
    village = proposed.get("village_code")
    if village is not None and village != person.village_code:
        area = session.get(Area, village)
        if area is None or area.level != AreaLevel.VILLAGE or not actor.covers(village):
            raise InvalidInput({"village_code": [N_("Choose a village of your area.")]})
    household_id = proposed.get("household_id")
    if household_id is not None and household_id != field_value(person, "household_id"):
        household = session.get(Household, household_id)
        if household is None or not actor.covers(household.village_code):
            raise InvalidInput({"household_id": [N_("Choose a household of your area.")]})


def approve_change(session: Session, *, request_id: int, actor: User, note: str = "") -> PersonVersion:
    """The district approves: the person takes the new values (only if they still hold the values the request
    was made against) and a new version records it."""
    request, person = _pending(session, request_id, actor)
    for field, before in request.before.items():
        if field_value(person, field) != before:
            raise ConcurrentChange(
                N_("The record changed since this request was made: refuse it and ask again.")
            )
    after = request.after
    _check_identity_free(session, person, after)
    names = {field: after.pop(field) for field in ("name_km", "name_latin") if field in after}
    if names:
        person.set_names(
            name_km=names.get("name_km", person.name_km),
            name_latin=names.get("name_latin", person.name_latin),
        )
    household_id = after.pop("household_id", None)
    for field, value in after.items():
        setattr(person, field, date.fromisoformat(value) if field == "date_of_birth" else value)
    if household_id is not None:
        move_to_household(session, person=person, household_id=household_id)
    _decide(request, actor, ChangeStatus.APPROVED, note)
    session.flush()
    index_names(session, [person])  # the search's words follow new names and a new village
    return record_version(session, person, reason=request.reason, actor=actor, change_request=request)


def refuse_change(session: Session, *, request_id: int, actor: User, note: str) -> PersonChangeRequest:
    """The district refuses with a reason: the record stays as it is."""
    request, _ = _pending(session, request_id, actor)
    if not note.strip():
        raise InvalidInput({"note": [N_("Say why the change is refused.")]})
    _decide(request, actor, ChangeStatus.REFUSED, note)
    session.flush()
    return request


def move_to_household(session: Session, *, person: Person, household_id: int) -> None:
    """`person` leaves their household for `household_id`, as a relative (a head is set on the household)."""
    membership = person.membership
    if membership is None:
        membership = HouseholdMember(person_id=person.id, household_id=household_id)
        session.add(membership)
    else:
        old = session.get(Household, membership.household_id)
        if old is not None and old.head_id == person.id:
            old.head_id = None
        membership.household_id = household_id
    membership.relationship_to_head = Relationship.OTHER_RELATIVE
    session.flush()


def _check_identity_free(session: Session, person: Person, after: dict[str, Any]) -> None:
    if "id_number" not in after and "id_kind" not in after:
        return
    kind, number = after.get("id_kind", person.id_kind), after.get("id_number", person.id_number)
    holder = session.scalar(
        select(Person.id).where(Person.id_kind == kind, Person.id_number == number, Person.id != person.id)
    )
    if holder is not None:
        raise InvalidInput({"id_number": [N_("This ID number is already registered to another person.")]})


def _pending(session: Session, request_id: int, actor: User) -> tuple[PersonChangeRequest, Person]:
    request = session.get(PersonChangeRequest, request_id, with_for_update=True)
    if request is None or not actor.covers(request.person.village_code):
        raise NotFound(N_("Change request not found."))
    check_decides(actor, request.person)
    if request.status != ChangeStatus.PENDING:
        raise ConcurrentChange(N_("This change request has already been decided."))
    return request, request.person


def _decide(request: PersonChangeRequest, actor: User, status: ChangeStatus, note: str) -> None:
    request.status = status
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    request.decision_note = note.strip()[:MAX_REASON] or None


@dataclass(frozen=True)
class HistoryEntry:
    """One version of the record, with what changed from the version before."""

    version: PersonVersion
    changed: dict[str, tuple[Any, Any]]  # field -> (before, after)


def person_history(session: Session, *, person: Person) -> list[HistoryEntry]:
    """Every version of the person, newest first, each with the fields it changed."""
    versions = list(
        session.scalars(
            select(PersonVersion).where(PersonVersion.person_id == person.id).order_by(PersonVersion.version)
        )
    )
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] = {}
    for version in versions:
        data = json.loads(version.data_json)
        changed = {
            field: (previous.get(field), value)
            for field, value in data.items()
            if previous and previous.get(field) != value
        }
        entries.append(HistoryEntry(version=version, changed=changed))
        previous = data
    return list(reversed(entries))


def change_requests_of(session: Session, *, person: Person) -> list[PersonChangeRequest]:
    return list(
        session.scalars(
            select(PersonChangeRequest)
            .where(PersonChangeRequest.person_id == person.id)
            .order_by(PersonChangeRequest.requested_at.desc(), PersonChangeRequest.id.desc())
        )
    )
