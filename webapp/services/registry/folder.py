"""The family folder: one household on one page, with every member, every application and its result with
the justification, every grievance, every letter, the use of each programme and the likely programmes.

The area rule decides who opens it; personal content asks casework.access.may_read_personal case by case, so a
confidential grievance shows without its complainant's name (nor its description) to other officers.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.history import CaseEvent
from webapp.domain.letters import Letter
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.programme_use import ProgrammeUse
from webapp.domain.registry import Household, HouseholdMember
from webapp.engine import ProcessEngine
from webapp.services.casework.access import may_read_personal
from webapp.services.registry.matching import PersonMatches, match_people
from webapp.services.registry.programme_use import uses_of
from webapp.services.registry.registration import PROCESS_ID as REGISTRATION

# Officers who keep or read family folders: the commune that keeps them, the district and the province.
READERS = frozenset(
    {
        RoleName.COMMUNE_ASSISTANT,
        RoleName.DISTRICT_SSDM_ASSISTANT,
        RoleName.INTER_SECTOR_OFFICER,
        RoleName.DISTRICT_SUPERVISOR,
        RoleName.BACK_OFFICE_SOCIAL_AFFAIRS,
        RoleName.BACK_OFFICE_HEALTH,
        RoleName.BACK_OFFICE_EDUCATION,
        RoleName.BACK_OFFICE_LABOUR,
        RoleName.BACK_OFFICE_RURAL_DEVELOPMENT,
        RoleName.PROVINCE_ESA_OFFICER,
        RoleName.ADMINISTRATOR,
    }
)
CONFIDENTIAL = N_("Confidential")
ANONYMOUS = N_("Anonymous")


@dataclass(frozen=True)
class Application:
    case: Case
    eligibility_reason: str | None  # the decision table's reason, when it ran


@dataclass(frozen=True)
class GrievanceEntry:
    grievance: Grievance
    complainant: str | None  # the name, when the viewer may read it
    hidden: str | None  # why it is not shown (a message id), else None
    description: str | None


@dataclass(frozen=True)
class Member:
    membership: HouseholdMember
    applications: list[Application]
    uses: list[ProgrammeUse]
    matches: PersonMatches


@dataclass(frozen=True)
class Folder:
    household: Household
    registrations: list[Case]
    members: list[Member]
    grievances: list[GrievanceEntry]
    letters: list[Letter]


def get_household(session: Session, *, household_id: int, user: User) -> Household:
    """A household of the user's area, for a role that reads folders; anything else is not found."""
    household = session.get(Household, household_id)
    if (
        household is None
        or user.role not in READERS
        or not user.active
        or not user.covers(household.village_code)
    ):
        raise NotFound(N_("Household not found."))
    return household


def family_folder(
    session: Session, *, engine: ProcessEngine, household_id: int, viewer: User, today: date
) -> Folder:
    household = get_household(session, household_id=household_id, user=viewer)
    memberships = list(household.members)
    people = [membership.person for membership in memberships]
    ids = [person.id for person in people]
    cases = (
        list(session.scalars(select(Case).where(Case.person_id.in_(ids)).order_by(Case.created_at, Case.id)))
        if ids
        else []
    )
    applications = [case for case in cases if case.programme_code is not None]
    reasons = _eligibility_reasons(session, [case.id for case in applications])
    uses = uses_of(session, ids)
    matches = {
        found.person.id: found for found in match_people(session, engine=engine, people=people, today=today)
    }
    members = [
        Member(
            membership=membership,
            applications=[
                Application(case, reasons.get(case.id))
                for case in applications
                if case.person_id == membership.person_id
            ],
            uses=[use for use in uses if use.person_id == membership.person_id],
            matches=matches[membership.person_id],
        )
        for membership in memberships
    ]
    grievances = _grievances(session, ids, [case.id for case in applications], viewer)
    letter_cases = cases + [entry.grievance.case for entry in grievances]
    return Folder(
        household=household,
        registrations=[case for case in cases if case.process_id == REGISTRATION],
        members=members,
        grievances=grievances,
        letters=_letters(session, letter_cases, viewer),
    )


def _eligibility_reasons(session: Session, case_ids: list[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    found: dict[int, str] = {}
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.after_json)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == "eligibility_decided")
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    for case_id, after in events:
        reason = json.loads(after or "{}").get("reason")
        if reason:
            found[case_id] = str(reason)
    return found


def _grievances(
    session: Session, person_ids: list[int], case_ids: list[int], viewer: User
) -> list[GrievanceEntry]:
    conditions = []
    if person_ids:
        conditions.append(Grievance.person_id.in_(person_ids))
    if case_ids:
        conditions.append(Grievance.related_case_id.in_(case_ids))
    if not conditions:
        return []
    entries = []
    for grievance in session.scalars(
        select(Grievance).where(or_(*conditions)).order_by(Grievance.received_at)
    ):
        if not viewer.covers(grievance.area_code):
            continue
        readable = may_read_personal(session, case=grievance.case, viewer=viewer)
        if grievance.anonymous:
            entries.append(
                GrievanceEntry(grievance, None, ANONYMOUS, grievance.description if readable else None)
            )
        elif readable:
            entries.append(GrievanceEntry(grievance, grievance.complainant_name, None, grievance.description))
        else:
            entries.append(GrievanceEntry(grievance, None, CONFIDENTIAL, None))
    return entries


def _letters(session: Session, cases: Iterable[Case], viewer: User) -> list[Letter]:
    readable = {case.id for case in cases if may_read_personal(session, case=case, viewer=viewer)}
    if not readable:
        return []
    return list(
        session.scalars(
            select(Letter).where(Letter.case_id.in_(readable)).order_by(Letter.issued_at, Letter.id)
        )
    )
