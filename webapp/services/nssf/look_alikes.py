"""Rows of a member list that look like a registered person (flagged by the list's check): the officer
decides each one on the review page, either linking the row to the registered person (reused, never typed
again) or confirming a new person; a row left undecided stays out of the import.

The candidate is the registry's best match found again here, so the page never trusts a person id sent
back by the browser; a person outside the officer's area is never shown, only the choice of a new person."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.messages import N_
from webapp.domain.nssf import Member, MemberStatus
from webapp.domain.people import User
from webapp.domain.registry import Person
from webapp.services.casework.person_matches import possible_duplicates_among
from webapp.services.nssf.members import LOOKS_REGISTERED, ListReport, RowReport

LINK, NEW = "link", "new"
DECISIONS = (LINK, NEW)
ALREADY_MEMBER = N_("Already an NSSF member.")
LINKED_TWICE = N_("Another row of the list is already linked to this registered person.")


@dataclass(frozen=True)
class LookAlike:
    """A flagged row and the registered person it may be (None: someone outside the officer's area)."""

    row: RowReport
    person: Person | None


def look_alikes(session: Session, *, report: ListReport, actor: User) -> list[LookAlike]:
    """The list's flagged rows, each with the registered person it most resembles."""
    flagged = [r for r in report.rows if r.duplicate == LOOKS_REGISTERED and r.row is not None]
    details = [r.row.person_details() for r in flagged if r.row is not None]
    found = possible_duplicates_among(session, details, limit=1)
    return [
        LookAlike(
            row, matches[0].person if matches and actor.covers(matches[0].person.village_code) else None
        )
        for row, matches in zip(flagged, found, strict=True)
    ]


def decide_look_alikes(
    session: Session, *, report: ListReport, actor: User, decisions: Mapping[int, str]
) -> list[LookAlike]:
    """Applies the officer's decision for each flagged row (by its line): a linked row becomes that person's
    declaration, a confirmed row a new person; the rows join the import unless the person is already a
    member or linked from another row."""
    candidates = look_alikes(session, report=report, actor=actor)
    members = _active_members(session, [c.person.id for c in candidates if c.person is not None])
    linked: set[int] = set()
    for candidate in candidates:
        decision, row = decisions.get(candidate.row.line), candidate.row
        if decision == NEW:
            row.duplicate = ""
        elif decision == LINK and candidate.person is not None:
            person_id = candidate.person.id
            row.duplicate = (
                ALREADY_MEMBER if person_id in members else LINKED_TWICE if person_id in linked else ""
            )
            row.person_id = person_id if not row.duplicate else None
            linked.add(person_id)
    return candidates


def _active_members(session: Session, person_ids: Sequence[int]) -> set[int]:
    if not person_ids:
        return set()
    query = select(Member.person_id).where(
        Member.person_id.in_(person_ids), Member.status != MemberStatus.REJECTED, Member.end_date.is_(None)
    )
    return set(session.scalars(query))
