"""What the registration's steps do beyond the engine: link a household registered by its head's SPID, show
the district the possible duplicates when the check opens, and issue the membership card at the end."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.clock import local_today
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.registry import Household, Person
from webapp.domain.spid import format_spid
from webapp.engine import ProcessContract
from webapp.services.casework.events import record_event
from webapp.services.casework.families import StepOutcome
from webapp.services.casework.people import PersonDetails
from webapp.services.casework.person_matches import possible_duplicates
from webapp.services.correspondence.letters import queue_letter
from webapp.services.registry.registration import (
    CONFIRM_TASK,
    PROCESS_ID,
    REGISTERED,
    REJECTED,
    person_by_spid,
)

CARD = "membership_card"
DUPLICATES_EVENT = "possible_duplicates"  # domain.history.EVENT_KINDS

# What the service relies on: it opens the case with `channel` and completes the first step itself (the
# referral or the registration, so no single start task), and reads `outcome` (registered or rejected) and
# `outcome_reason` at every end.
REGISTRATION_CONTRACT = ProcessContract(
    process_id=PROCESS_ID,
    end_variables=frozenset({"outcome", "outcome_reason"}),
    end_values={"outcome": frozenset({REGISTERED, REJECTED})},
)
CONTRACTS = {PROCESS_ID: REGISTRATION_CONTRACT}


def follow_registration(session: Session, step: StepOutcome) -> None:
    """The family's step hook: a registration completed from the task page names the household by its head's
    SPID (the case then belongs to that head); when the district's check opens, the timeline lists the
    registered people who may be the household's members."""
    case = step.case
    if case.process_id != PROCESS_ID:
        return
    _link_head(session, case, step)
    if case.person_id is not None and any(task.spec_name == CONFIRM_TASK for task in step.created):
        _record_duplicates(session, case)


def _link_head(session: Session, case: Case, step: StepOutcome) -> None:
    if case.person_id is not None or step.data is None:
        return
    typed = str(step.data.get("head_spid") or "")
    if not typed:
        return
    person = person_by_spid(session, typed)
    if person is None or person.village_code[:6] != case.area_code[:6] or person.merged_into_id is not None:
        raise InvalidInput({"head_spid": [N_("No person of this commune is registered with this SPID.")]})
    case.person_id = person.id


def _record_duplicates(session: Session, case: Case) -> None:
    household = session.scalar(select(Household).where(Household.head_id == case.person_id))
    members = [member.person for member in household.members] if household is not None else []
    own = {person.id for person in members}
    found = []
    for person in members:
        for match in possible_duplicates(session, PersonDetails.of(person), exclude_id=person.id, limit=5):
            if match.person.id not in own:
                found.append(
                    f"{person.name_latin} ~ {format_spid(match.person.spid)} {match.person.name_latin}"
                )
    if found:
        after = {"duplicates": "; ".join(found)}
        record_event(session, case=case, kind=DUPLICATES_EVENT, actor=None, after=after)


def issue_membership_card(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The family's close hook: a confirmed household's head receives the SSDM membership card."""
    if case.process_id != PROCESS_ID or case.outcome != REGISTERED or case.person_id is None:
        return
    head = session.get(Person, case.person_id)
    if head is None:
        return
    today = local_today()
    fields = {"programme": "", "member_since": today, "spid": format_spid(head.spid)}
    queue_letter(session, case=case, key=CARD, fields=fields, actor=actor, today=today)
