"""Matching: the programmes a person (or every member of a household) is likely eligible for and not yet
enrolled in, decided by the same decision table the application process runs, with each rule's reason."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.domain.cases import CLOSED, OPEN, Case
from webapp.domain.messages import N_
from webapp.domain.programme_use import APPLICATION_APPROVED, ProgrammeUse
from webapp.domain.registry import Person, Programme
from webapp.domain.workflows import PUBLISHED, WorkflowVersion
from webapp.engine import ProcessEngine

DECISION = "programme_eligibility"  # workflows/programme_eligibility.dmn
# Facts the registry does not hold: pregnancy and HIV are never assumed; school enrolment is asked about.
IF_IN_SCHOOL = N_("if enrolled in school")


@dataclass(frozen=True)
class Match:
    programme: Programme
    reason: str  # the rule's English reason (a message id from the decision table)
    condition: str | None = None  # a message id: what must also be true


@dataclass(frozen=True)
class PersonMatches:
    person: Person
    likely: tuple[Match, ...]
    enrolled: tuple[Programme, ...]  # approved, or using the programme now
    pending: tuple[Programme, ...]  # an application is open


def decision_files(session: Session) -> dict[str, str]:
    """The decision table of the newest published version that holds it (the one new applications use)."""
    versions = session.scalars(
        select(WorkflowVersion)
        .where(WorkflowVersion.status == PUBLISHED)
        .order_by(WorkflowVersion.deployed_at.desc(), WorkflowVersion.id.desc())
    )
    name = f"{DECISION}.dmn"
    for version in versions:
        files = json.loads(version.files_json)
        if name in files:
            return {name: files[name]}
    return {}


def match_people(
    session: Session, *, engine: ProcessEngine, people: Iterable[Person], today: date
) -> list[PersonMatches]:
    """For each person: likely programmes (eligible by the rules, neither enrolled nor applied), enrolled
    ones, and open applications. No decision table published: nobody is matched."""
    people = list(people)
    files = decision_files(session)
    programmes = list(session.scalars(select(Programme).where(Programme.active).order_by(Programme.position)))
    enrolled, pending = _taken(session, [p.id for p in people], today)
    found = []
    for person in people:
        taken = enrolled.get(person.id, set()) | pending.get(person.id, set())
        likely = tuple(
            match
            for programme in programmes
            if programme.code not in taken and files
            for match in [_match(engine, files, person, programme, today)]
            if match is not None
        )
        found.append(
            PersonMatches(
                person=person,
                likely=likely,
                enrolled=tuple(p for p in programmes if p.code in enrolled.get(person.id, set())),
                pending=tuple(p for p in programmes if p.code in pending.get(person.id, set())),
            )
        )
    return found


def _match(
    engine: ProcessEngine, files: Mapping[str, str], person: Person, programme: Programme, today: date
) -> Match | None:
    facts = _facts(person, programme, today)
    outputs = engine.evaluate_decision(DECISION, facts, files=files)
    if outputs.get("eligible") is True:
        return Match(programme, str(outputs.get("eligibility_reason") or ""))
    outputs = engine.evaluate_decision(DECISION, {**facts, "enrolled_in_school": True}, files=files)
    if outputs.get("eligible") is True:
        return Match(programme, str(outputs.get("eligibility_reason") or ""), IF_IN_SCHOOL)
    return None


def _facts(person: Person, programme: Programme, today: date) -> dict[str, Any]:
    """What the intake would give the decision, from the registry alone."""
    return {
        "programme": programme.code,
        "sector": programme.sector,
        "age": person.age_on(today),
        "sex": person.sex,
        "equity_card": person.equity_card,
        "disability": bool(person.disability),
        "pregnant": False,
        "living_with_hiv": False,
        "enrolled_in_school": False,
    }


def _taken(
    session: Session, person_ids: list[int], today: date
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    enrolled: dict[int, set[str]] = {}
    pending: dict[int, set[str]] = {}
    if not person_ids:
        return enrolled, pending
    applications = session.execute(
        select(Case.person_id, Case.programme_code, Case.status, Case.outcome).where(
            Case.person_id.in_(person_ids), Case.programme_code.is_not(None)
        )
    )
    for person_id, code, status, outcome in applications:
        if status == OPEN:
            pending.setdefault(person_id, set()).add(code)
        elif status == CLOSED and outcome == APPLICATION_APPROVED:
            enrolled.setdefault(person_id, set()).add(code)
    uses = session.execute(
        select(ProgrammeUse.person_id, ProgrammeUse.programme_code).where(
            ProgrammeUse.person_id.in_(person_ids),
            or_(ProgrammeUse.end_date.is_(None), ProgrammeUse.end_date >= today),
        )
    )
    for person_id, code in uses:
        enrolled.setdefault(person_id, set()).add(code)
    return enrolled, pending
