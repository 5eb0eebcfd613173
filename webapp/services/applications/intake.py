"""Opening an SSDM programme application: the applicant, the case, its documents and the intake step."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import AreaLevel
from webapp.domain.cases import Case, Document
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.registry import LETTER_LANGUAGES, Person, Programme
from webapp.domain.tasks import Task
from webapp.engine import ProcessEngine
from webapp.services.applications.letters import queue_received_letter
from webapp.services.casework.cases import CaseOpening
from webapp.services.casework.documents import Upload, attach_documents, check_uploads
from webapp.services.casework.opening_step import open_case_with_first_step
from webapp.services.casework.people import (
    PersonDetails,
    file_change_request,
    find_by_identity,
    register_person,
    survivor_of,
)
from webapp.services.casework.reference_rows import area_level, programme_by_code

PROCESS_ID = "ssdm_programme_application"
INTAKE_ROLE = RoleName.COMMUNE_ASSISTANT


@dataclass(frozen=True)
class Applicant:
    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date
    id_kind: str
    id_number: str
    village_code: str
    equity_card: str
    disability: bool
    phone: str | None = None
    letter_language: str = "km"


@dataclass(frozen=True)
class Household:
    household_size: int
    pregnant: bool
    living_with_hiv: bool
    enrolled_in_school: bool


def open_application(
    session: Session,
    *,
    engine: ProcessEngine,
    actor: User,
    applicant: Applicant,
    household: Household,
    programme_code: str,
    documents: list[Upload],
    today: date,
    max_upload_bytes: int,
    registered_person_id: int | None = None,
) -> Case:
    """Registers (or finds) the applicant, opens the case, files its documents and completes the intake.
    `registered_person_id`: the registered record the officer chose (it was shown as a possible duplicate)."""
    if actor.role != INTAKE_ROLE:
        raise PermissionDenied(N_("Only a commune assistant can open an application."))
    check_uploads(documents, max_bytes=max_upload_bytes)
    programme = _programme(session, programme_code)
    _village_in_scope(session, applicant.village_code, actor)  # refuses a village outside the commune
    person = _find_or_register(session, applicant, actor, registered_person_id)
    document_ids: dict[str, int] = {}

    def file_documents(case: Case) -> None:
        document_ids.update(attach_documents(session, case=case, uploads=documents, actor=actor))

    intake = _Intake(person, programme, household, today, document_ids)
    case = _open_with_intake(session, engine, actor, intake, files=file_documents if documents else None)
    queue_received_letter(session, case=case, actor=actor, today=today, documents=len(document_ids))
    return case


def resubmit_application(
    session: Session, *, engine: ProcessEngine, original: Case, today: date, grievance_reference: str
) -> Case:
    """A grievance's level 1 resubmits the contested application: a new case for the same person and
    programme, opened in the name of the commune assistant who took the first one, with its documents and
    household facts (the person gives nothing twice), and today's age."""
    actor = session.get(User, original.created_by_id)
    if actor is None or original.process_id != PROCESS_ID:
        raise NotFound(N_("Case not found."))
    document_ids: dict[str, int] = {}

    def file_documents(case: Case) -> None:
        document_ids.update(_copy_documents(session, original, case))

    household = _household_of(session, original)
    intake = _Intake(original.person, original.programme, household, today, document_ids)
    case = _open_with_intake(
        session,
        engine,
        actor,
        intake,
        files=file_documents if original.documents else None,
        resubmitted={"resubmitted_from": original.reference, "grievance": grievance_reference},
    )
    queue_received_letter(session, case=case, actor=actor, today=today, documents=len(document_ids))
    return case


def _copy_documents(session: Session, original: Case, case: Case) -> dict[str, int]:
    """The same stored files, filed again on the new case."""
    document_ids = {}
    for document in original.documents:
        copy = Document(
            case_id=case.id,
            kind=document.kind,
            filename=document.filename,
            size=document.size,
            content_type=document.content_type,
            sha256=document.sha256,
            uploaded_by_id=document.uploaded_by_id,
        )
        session.add(copy)
        session.flush()
        document_ids[document.kind] = copy.id
    return document_ids


@dataclass(frozen=True)
class _Intake:
    """What the intake step records: the applicant, the programme, the household and the documents filed
    (filled in as the case's documents are filed, before the step runs)."""

    person: Person
    programme: Programme
    household: Household
    today: date
    document_ids: Mapping[str, int]

    def data(self) -> dict[str, Any]:
        facts = _intake_data(self.person, self.household, self.programme, self.today)
        return facts | {"documents": dict(self.document_ids)}


def _open_with_intake(
    session: Session,
    engine: ProcessEngine,
    actor: User,
    intake: _Intake,
    *,
    files: Callable[[Case], None] | None,
    resubmitted: Mapping[str, str] | None = None,
) -> Case:
    """The case opened with its intake completed by `actor`, in one engine run."""
    person, programme = intake.person, intake.programme
    opening = CaseOpening(
        process_id=PROCESS_ID,
        reference_prefix="APP",
        area_code=person.village_code,
        today=intake.today,
        data={},
        opened={"programme": programme.code, "applicant": person.name_latin, **(resubmitted or {})},
        person_id=person.id,
        programme_code=programme.code,
    )
    opened = open_case_with_first_step(
        session, engine, opening=opening, actor=actor, first_data=intake.data, file_first=files
    )
    return opened.case


def _household_of(session: Session, original: Case) -> Household:
    """The household facts the first intake recorded."""
    submitted = session.scalar(
        select(Task.submitted_json).where(Task.case_id == original.id, Task.spec_name == "intake")
    )
    facts = json.loads(submitted or "{}")
    return Household(
        household_size=int(facts.get("household_size") or 1),
        pregnant=bool(facts.get("pregnant")),
        living_with_hiv=bool(facts.get("living_with_hiv")),
        enrolled_in_school=bool(facts.get("enrolled_in_school")),
    )


def _intake_data(person: Person, household: Household, programme: Programme, today: date) -> dict[str, Any]:
    """Only what the process decides on goes into the workflow: names stay in the registry."""
    return {
        "programme": programme.code,
        "sector": programme.sector,
        "age": person.age_on(today),
        "sex": person.sex,
        "equity_card": person.equity_card,
        "disability": person.disability,
        "pregnant": household.pregnant,
        "living_with_hiv": household.living_with_hiv,
        "enrolled_in_school": household.enrolled_in_school,
        "household_size": household.household_size,
    }


def _programme(session: Session, code: str) -> Programme:
    programme = programme_by_code(session, code)
    if programme is None or not programme.active:
        raise InvalidInput({"programme": [N_("Choose a programme from the list.")]})
    return programme


def _village_in_scope(session: Session, code: str, actor: User) -> None:
    if area_level(session, code) != AreaLevel.VILLAGE or not actor.covers(code):
        raise InvalidInput({"village": [N_("Choose a village of your commune.")]})


def _find_or_register(
    session: Session, applicant: Applicant, actor: User, registered_person_id: int | None = None
) -> Person:
    """Once-only: a person already registered with this ID (typed in any form, Khmer digits too) is reused,
    never duplicated nor overwritten. What the applicant says differently becomes a change request the
    district decides; the application goes on with the registered record."""
    details = PersonDetails(**_person_fields(applicant))
    person = find_by_identity(session, id_kind=applicant.id_kind, id_number=applicant.id_number)
    if person is None and registered_person_id is not None:
        chosen = session.get(Person, registered_person_id)
        if chosen is None or not chosen.village_code.startswith(
            actor.scope_code[:4]
        ):  # the officer's district
            raise InvalidInput({"id_number": [N_("Choose a person from the list.")]})
        person = survivor_of(session, chosen)
    if person is None:
        return register_person(session, details, actor=actor, reason=N_("Registered at an application"))
    file_change_request(
        session, person, details, reason=N_("Typed differently at an application intake"), actor=actor
    )
    return person


def _person_fields(applicant: Applicant) -> Mapping[str, Any]:
    return {
        "name_km": applicant.name_km,
        "name_latin": applicant.name_latin,
        "sex": applicant.sex,
        "date_of_birth": applicant.date_of_birth,
        "id_kind": applicant.id_kind,
        "id_number": applicant.id_number,
        "village_code": applicant.village_code,
        "equity_card": applicant.equity_card,
        "disability": applicant.disability,
        "phone": applicant.phone or None,
        "letter_language": applicant.letter_language
        if applicant.letter_language in LETTER_LANGUAGES
        else "km",
    }
