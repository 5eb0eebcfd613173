"""SSDM registration of a household, a process of its own (workflows/ssdm_registration.bpmn): a VDC member
refers a household to the commune, or the commune assistant meets it; the commune assistant registers the
household and its members; the district SSDM assistant confirms it, sends it back or rejects it; a confirmed
household's head receives the SSDM membership card."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.cases import CLOSED, Case, Outcome
from webapp.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.registry import Household, Person, Relationship
from webapp.domain.spid import parse_spid
from webapp.domain.tasks import OPEN as TASK_OPEN
from webapp.domain.tasks import Task
from webapp.domain.text import clean_text
from webapp.engine import ProcessEngine
from webapp.services.casework.cases import CaseOpening
from webapp.services.casework.opening_step import open_case_with_first_step
from webapp.services.casework.people import PersonDetails, find_by_identity, register_person
from webapp.services.casework.person_matches import Match, possible_duplicates
from webapp.services.casework.tasks import submit_task

PROCESS_ID = "ssdm_registration"
REFERENCE_PREFIX = "REG"
REFERRAL_ROLE = RoleName.VDC_MEMBER
REGISTER_ROLE = RoleName.COMMUNE_ASSISTANT
CONFIRM_ROLE = RoleName.DISTRICT_SSDM_ASSISTANT
REFER_TASK = "refer_household"
REGISTER_TASK = "register_household"
CONFIRM_TASK = "confirm_registration"
VILLAGE, COMMUNE = "village", "commune"  # the `channel` the process starts with
REGISTERED = Outcome.REGISTERED
REJECTED = Outcome.REJECTED
MAX_MEMBERS = 30
MAX_REASON = 2000


@dataclass(frozen=True)
class Referral:
    head_name_km: str
    head_name_latin: str
    village_code: str
    reason: str
    phone: str = ""


@dataclass(frozen=True)
class MemberEntry:
    details: PersonDetails
    relationship: str  # domain.registry.Relationship


class DuplicatesFound(DomainError):
    """Registered people who may be members of the household being registered: the officer looks first."""

    message = N_("These people may already be registered. Check them before registering the household.")
    status = 409

    def __init__(self, matches: dict[int, list[Match]]) -> None:
        super().__init__()
        self.matches = matches  # member row -> its possible duplicates, strongest first


def refer_household(
    session: Session, *, engine: ProcessEngine, actor: User, referral: Referral, today: date
) -> Case:
    """A VDC member's referral: a registration case whose first step, the referral, is done; the commune's
    step to register the household opens in the commune's shared list."""
    if actor.role != REFERRAL_ROLE:
        raise PermissionDenied(N_("Only a VDC member can refer a household."))
    facts = _referral_facts(session, referral, actor)
    opening = _opening(VILLAGE, referral.village_code, today)
    return _open_done(session, engine, opening, actor, facts)


def register_household(
    session: Session,
    *,
    engine: ProcessEngine,
    actor: User,
    members: Sequence[MemberEntry],
    today: date,
    referral_task_id: int | None = None,
    note: str = "",
    duplicates_checked: bool = False,
) -> Case:
    """Registers every member (the head first, each with a SPID) in one new household and sends the
    registration to the district: on a new case, or on the referral's case (`referral_task_id`)."""
    if actor.role != REGISTER_ROLE:
        raise PermissionDenied(N_("Only a commune assistant can register a household."))
    referral = _referral_task(session, referral_task_id, actor) if referral_task_id is not None else None
    head_entry = _checked_members(session, members, actor)
    if not duplicates_checked:
        found = member_duplicates(session, members)
        if found:
            raise DuplicatesFound(found)
    head = _register_members(session, members, head_entry, actor)
    data = {"head_spid": head.spid, "registration_note": clean_text(note).strip()[:MAX_REASON]}
    if referral is None:  # a new case, its registration step done as it opens
        opening = replace(_opening(COMMUNE, head.village_code, today), person_id=head.id)
        return _open_done(session, engine, opening, actor, data)
    task = referral
    task.case.person_id = head.id
    task.assignee_id = actor.id
    submit_task(
        session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=task.case.version_id
    )
    return task.case


def _register_members(
    session: Session, members: Sequence[MemberEntry], head_entry: MemberEntry, actor: User
) -> Person:
    """Registers the head, then every other member in the head's new household; returns the head."""
    head = register_person(session, head_entry.details, actor=actor, reason="SSDM registration")
    household = session.get(Household, head.membership.household_id) if head.membership else None
    for entry in members:
        if entry is not head_entry:
            register_person(
                session,
                entry.details,
                actor=actor,
                household=household,
                relationship=entry.relationship,
                reason="SSDM registration",
            )
    return head


def member_duplicates(session: Session, members: Sequence[MemberEntry]) -> dict[int, list[Match]]:
    """Each member row's possible duplicates in the registry (look-alike spellings included)."""
    found = {}
    for index, entry in enumerate(members):
        matches = possible_duplicates(session, entry.details, limit=5)
        if matches:
            found[index] = matches
    return found


def referral_facts(session: Session, case: Case) -> dict[str, Any]:
    """What the VDC member said about the household, from the referral step of the case."""
    submitted = session.scalar(
        select(Task.submitted_json).where(Task.case_id == case.id, Task.spec_name == REFER_TASK).limit(1)
    )
    return dict(json.loads(submitted)) if submitted else {}


def registration_of(session: Session, household: Household) -> Case | None:
    """The household's registration case (the newest), found through its head."""
    if household.head_id is None:
        return None
    return session.scalar(
        select(Case)
        .where(Case.process_id == PROCESS_ID, Case.person_id == household.head_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(1)
    )


def is_registered(case: Case | None) -> bool:
    return case is not None and case.status == CLOSED and case.outcome == REGISTERED


def _opening(channel: str, village_code: str, today: date) -> CaseOpening:
    return CaseOpening(
        process_id=PROCESS_ID,
        reference_prefix=REFERENCE_PREFIX,
        area_code=village_code,
        today=today,
        data={"channel": channel},
        opened={"channel": channel},
    )


def _open_done(
    session: Session, engine: ProcessEngine, opening: CaseOpening, actor: User, data: Mapping[str, Any]
) -> Case:
    """A registration case whose first step (the referral, or the commune's registration) `actor` does as it
    opens, in one engine run."""
    opened = open_case_with_first_step(session, engine, opening=opening, actor=actor, first_data=lambda: data)
    return opened.case


def _referral_facts(session: Session, referral: Referral, actor: User) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    head_km, head_latin = (
        clean_text(referral.head_name_km).strip(),
        clean_text(referral.head_name_latin).strip(),
    )
    reason = clean_text(referral.reason).strip()
    if not head_km:
        errors["head_name_km"] = [N_("This field is required.")]
    if not head_latin:
        errors["head_name_latin"] = [N_("This field is required.")]
    if not reason:
        errors["referral_reason"] = [N_("This field is required.")]
    if not _village_of(session, referral.village_code, actor):
        errors["village"] = [N_("Choose a village of your area.")]
    if errors:
        raise InvalidInput(errors)
    return {
        "head_name_km": head_km[:120],
        "head_name_latin": head_latin[:120],
        "village": referral.village_code,
        "phone": clean_text(referral.phone).strip()[:20],
        "referral_reason": reason[:MAX_REASON],
    }


def _village_of(session: Session, code: str, actor: User) -> bool:
    village = session.get(Area, code)
    return village is not None and village.level == AreaLevel.VILLAGE and actor.covers(code)


def _referral_task(session: Session, task_id: int, actor: User) -> Task:
    task = session.get(Task, task_id)
    if (
        task is None
        or task.case.process_id != PROCESS_ID
        or task.spec_name != REGISTER_TASK
        or not actor.covers(task.case.area_code)
    ):
        raise NotFound(N_("Task not found."))
    if task.status != TASK_OPEN or (task.assignee_id not in (None, actor.id)):
        raise InvalidInput({"referral": [N_("This referral is no longer waiting for registration.")]})
    return task


def _checked_members(session: Session, members: Sequence[MemberEntry], actor: User) -> MemberEntry:
    """The head's entry, once every member is checked: one head, villages of the officer's commune, no ID
    already registered (the once-only principle: that person is found, never registered twice)."""
    errors: dict[str, list[str]] = {}
    heads = [entry for entry in members if entry.relationship == Relationship.HEAD]
    if not members or len(members) > MAX_MEMBERS or len(heads) != 1:
        errors["members"] = [N_("A household has one head and at most 30 members.")]
    for index, entry in enumerate(members):
        if not _village_of(session, entry.details.village_code, actor):
            errors[f"members-{index}-village"] = [N_("Choose a village of your commune.")]
        existing = find_by_identity(session, id_kind=entry.details.id_kind, id_number=entry.details.id_number)
        if existing is not None:
            errors[f"members-{index}-id_number"] = [
                N_("This ID number is already registered to another person.")
            ]
    if errors:
        raise InvalidInput(errors)
    return heads[0]


def person_by_spid(session: Session, spid: str) -> Person | None:
    """The person with this SPID as typed (spaces and Khmer digits allowed), or None."""
    value = parse_spid(spid)
    return session.scalar(select(Person).where(Person.spid == value)) if value else None
