"""Issuing letters: render once, archive the PDF with its hash, record the event; reprints, corrections,
delivery, and the public verification of a reference."""

import hashlib
import json
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from webapp.domain.areas import Area, AreaLevel, cut_to_level
from webapp.domain.cases import Case
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.jobs import Job
from webapp.domain.letters import DELIVERY_METHODS, LETTER_TYPES, Letter, LetterBlob, new_verify_token
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.letters import LANGUAGES, LetterData, LetterRenderer, Place, Recipient, default_renderer
from webapp.services.casework.access import get_case, may_read_personal
from webapp.services.casework.events import record_event
from webapp.services.casework.families import Letterhead, letterhead_of
from webapp.services.casework.references import next_reference
from webapp.services.correspondence.verification import verify_path
from webapp.services.notifications.alerts import on_letter_issued
from webapp.services.platform.jobs import WorkerContext, enqueue

# The address printed in QR codes; the web layer sets it per request from the address officers use.
PUBLIC_URL: ContextVar[str] = ContextVar("public_url", default="http://127.0.0.1:5000")
OFFICE_NAME = N_("One-stop service office for social protection")
# Who issues and signs each kind: the commune takes applications, the district decides the rest.
OFFICE_LEVEL = {"application_received": AreaLevel.COMMUNE}
SIGNERS = {AreaLevel.COMMUNE: N_("Chief of the commune"), AreaLevel.DISTRICT: N_("District governor")}
HANDLER_ROLES = (
    RoleName.COMMUNE_ASSISTANT,
    RoleName.DISTRICT_SSDM_ASSISTANT,
    RoleName.INTER_SECTOR_OFFICER,
    RoleName.DISTRICT_SUPERVISOR,
    RoleName.ADMINISTRATOR,
)


def issue_letter(
    session: Session,
    *,
    case: Case,
    key: str,
    actor: User | None,
    today: date,
    fields: Mapping[str, Any],
    language: str | None = None,
    corrects: Letter | None = None,
    renderer: LetterRenderer | None = None,
    recipient: Recipient | None = None,
) -> Letter:
    """Renders the letter once and archives it. Atomic: a failing template leaves nothing behind, not
    even a used reference number. `recipient` defaults to the case's applicant (a grievance has none);
    `language` defaults to the language the applicant chose for their letters, else Khmer."""
    language = language or _preferred_language(case)
    if key not in LETTER_TYPES or language not in LANGUAGES:
        raise NotFound(N_("There is no such letter."))
    with session.begin_nested():
        return _issue(session, case, key, actor, today, fields, language, corrects, renderer, recipient)


def _issue(
    session: Session,
    case: Case,
    key: str,
    actor: User | None,
    today: date,
    fields: Mapping[str, Any],
    language: str,
    corrects: Letter | None,
    renderer: LetterRenderer | None,
    recipient: Recipient | None = None,
) -> Letter:
    renderer = renderer or default_renderer()
    head = _letterhead(session, case, key)
    token = new_verify_token()  # the QR code's key, printed on the letter; the reference alone shows nothing
    data = _content(session, case, key, head, today, fields, language, corrects, recipient, token)
    html = renderer.html(data)
    pdf = renderer.pdf_from_html(html)
    sha256 = _archive(session, pdf)
    letter = Letter(
        reference=data.reference,
        case_id=case.id,
        key=key,
        language=language,
        template_version=renderer.template_version(key),
        sha256=sha256,
        size=len(pdf),
        html=html,
        fields_json=_stored(fields),
        office_code=head.office_code,
        **_addressing(data, head),
        issued_on=today,
        issued_by_id=actor.id if actor else None,
        corrects_id=corrects.id if corrects else None,
        verify_token=token,
    )
    session.add(letter)
    session.flush()
    _record_issued(session, case, actor, letter)
    return letter


def _addressing(data: LetterData, head: Letterhead) -> dict[str, str]:
    """Whom the letter went to (kept for a correction; initials alone for the public check) and the office
    its family's letterhead names ("" for the one-stop office, named by its area alone)."""
    return {
        "recipient_initials": initials(data.recipient.name_latin),
        "recipient_km": data.recipient.name_km[:200],
        "recipient_latin": data.recipient.name_latin[:200],
        "office_name": head.office_name if head.office_name != OFFICE_NAME else "",
    }


def _record_issued(session: Session, case: Case, actor: User | None, letter: Letter) -> None:
    after = {"letter": letter.reference, "type": LETTER_TYPES[letter.key], "sha256": letter.sha256}
    record_event(session, case=case, kind="letter_issued", actor=actor, after=after)


def _stored(fields: Mapping[str, Any]) -> str:
    """The facts as the letter keeps them for a correction: places by their code, as the job carries them."""
    return json.dumps(
        {name: _plain(value) for name, value in fields.items()}, ensure_ascii=False, default=str
    )


def _letterhead(session: Session, case: Case, key: str) -> Letterhead:
    """Who issues a letter of this kind for the case: what the case's family says, else the one-stop
    office of its district (or of its commune), signed by the head of that area."""
    head = letterhead_of(session, case, key)
    if head is not None:
        return head
    office = session.get(Area, cut_to_level(case.area_code, OFFICE_LEVEL.get(key, AreaLevel.DISTRICT)))
    assert office is not None  # a case's village always lies in an imported commune and district
    signer = SIGNERS.get(AreaLevel(office.level), SIGNERS[AreaLevel.DISTRICT])
    return Letterhead(
        office_code=office.code, office_name=OFFICE_NAME, signer_title=signer, titled_by_unit=True
    )


def _content(
    session: Session,
    case: Case,
    key: str,
    head: Letterhead,
    today: date,
    fields: Mapping[str, Any],
    language: str,
    corrects: Letter | None,
    recipient: Recipient | None,
    token: str,
) -> LetterData:
    """What the letter says: its kind's facts, in the chosen language, naming the letter it corrects."""
    data = letter_data(
        session, case=case, key=key, head=head, today=today, recipient=recipient, verify_token=token
    )
    return replace(
        data, language=language, fields=dict(fields), corrects=corrects.reference if corrects else ""
    )


def _archive(session: Session, pdf: bytes) -> str:
    """Stores the PDF once per content; its SHA-256 is how the letter finds it and how it is verified."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    if session.get(LetterBlob, sha256) is None:
        session.add(LetterBlob(sha256=sha256, content=pdf))
        session.flush()  # no relationship orders the two inserts: the blob must exist first
    return sha256


def _preferred_language(case: Case) -> str:
    person = case.person
    return person.letter_language if person is not None and person.letter_language in LANGUAGES else "km"


def letter_data(
    session: Session,
    *,
    case: Case,
    key: str,
    head: Letterhead,
    today: date,
    verify_token: str,
    recipient: Recipient | None = None,
) -> LetterData:
    """The letter's common parts, with the next reference number of the case's district."""
    reference = next_reference(session, prefix="LTR", district_code=case.area_code[:4], year=today.year)
    address = _path(session, head.address_code) if head.address_code else []
    return LetterData(
        key=key,
        reference=reference,
        issued_on=today,
        language="km",
        office=tuple(Place.of(area) for area in _path(session, head.office_code)),
        office_name=head.office_name,
        signer_title=head.signer_title,
        signer_name=head.signer_name,
        office_address=tuple(Place.of(area) for area in reversed(address)),
        office_contact=head.contact,
        signed_by_area_head=head.titled_by_unit,
        recipient=recipient or _applicant(session, case),
        verify_url=PUBLIC_URL.get().rstrip("/") + verify_path(verify_token),
        case_reference=case.reference,
    )


def _applicant(session: Session, case: Case) -> Recipient:
    person = case.person
    places = tuple(Place.of(area) for area in reversed(_path(session, person.village_code)))
    return Recipient(person.name_km, person.name_latin, places)


def _path(session: Session, code: str) -> list[Area]:
    codes = [code[:n] for n in (2, 4, 6, 8) if len(code) >= n]
    areas = {area.code: area for area in session.scalars(select(Area).where(Area.code.in_(codes)))}
    return [areas[c] for c in codes if c in areas]


def initials(name: str) -> str:
    """The only personal data the public verification page shows: S. S. for Sok Sreymom."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalnum())[:20]


def case_letters(session: Session, *, case: Case) -> list[Letter]:
    """The case's letters, issued first first; their case is the one given (not joined again with its own
    eager relations)."""
    query = select(Letter).where(Letter.case_id == case.id).order_by(Letter.issued_at, Letter.id)
    return list(session.scalars(query.options(lazyload(Letter.case))))


def get_letter(session: Session, *, letter_id: int, user: User) -> Letter:
    """A letter of a case the user may see; any other is not found."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound(N_("Letter not found."))
    case = get_case(session, case_id=letter.case_id, user=user)
    if not may_read_personal(session, case=case, viewer=user):
        raise NotFound(N_("Letter not found."))
    return letter


def letter_pdf(session: Session, *, letter: Letter) -> bytes:
    """The archived bytes: a reprint is the letter as issued, never a new rendering."""
    blob = session.get(LetterBlob, letter.sha256)
    assert blob is not None  # the foreign key guarantees it
    return blob.content


def mark_delivered(
    session: Session, *, letter: Letter, on: date, how: str, actor: User, today: date
) -> Letter:
    if how not in DELIVERY_METHODS:
        raise InvalidInput({"how": [N_("Choose how the letter was delivered.")]})
    if on > today or on < letter.issued_on:
        raise InvalidInput({"on": [N_("The delivery date must be between the letter's date and today.")]})
    letter.delivered_at, letter.delivered_how, letter.delivered_by_id = on, how, actor.id
    record_event(
        session,
        case=letter.case,
        kind="letter_delivered",
        actor=actor,
        after={"letter": letter.reference, "delivered_on": on.isoformat(), "how": DELIVERY_METHODS[how]},
    )
    session.flush()
    return letter


def correct_letter(
    session: Session, *, letter: Letter, actor: User, today: date, reason: str = "", language: str = ""
) -> Letter:
    """A correction is a new letter of the same kind that names the one it replaces; it prints the same
    facts (read back from the original) with the corrected reason when one is given."""
    fields = {key: _revived(session, value) for key, value in json.loads(letter.fields_json).items()}
    if reason.strip():
        fields["reason"] = reason.strip()
    return issue_letter(
        session,
        case=letter.case,
        key=letter.key,
        actor=actor,
        today=today,
        fields=fields,
        language=language or letter.language,  # a correction may also go out in the person's language
        corrects=letter,
        recipient=_recipient_of(letter),
    )


def _recipient_of(letter: Letter) -> Recipient | None:
    """Whom a correction goes to: the case's person at their address today (None), else the letter's own
    recipient as stored (an enterprise). A letter to no person and with no stored recipient is refused."""
    if letter.case.person is not None:
        return None
    if not (letter.recipient_km or letter.recipient_latin):
        raise InvalidInput(
            {"letter": [N_("This letter names no recipient Sala can address a correction to.")]}
        )
    return Recipient(letter.recipient_km, letter.recipient_latin, ())


def _revive(value: Any) -> Any:
    """Dates were stored as ISO strings; anything else comes back as stored."""
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        return as_date(value) or value
    return value


# Rendering a letter takes most of a second's tenth: the request queues it and the worker, which keeps one
# renderer warm, issues it moments after the request commits (DESIGN.md sections 7 and 9). Every family's
# letters go this one way.
LETTER_JOB = "issue_letter"


def queue_letter(
    session: Session,
    *,
    case: Case,
    key: str,
    fields: Mapping[str, Any],
    actor: User | None,
    today: date,
    recipient: Recipient | None = None,
) -> Job:
    """Queues a letter for the worker; `fields` hold plain values, dates and places, revived by the worker."""
    if key not in LETTER_TYPES:
        raise NotFound(N_("There is no such letter."))
    payload = {
        "case_id": case.id,
        "key": key,
        "fields": {name: _plain(value) for name, value in fields.items()},
        "actor_id": actor.id if actor else None,
        "today": today.isoformat(),
        "recipient": [recipient.name_km, recipient.name_latin] if recipient else None,
    }
    return enqueue(session, kind=LETTER_JOB, payload=payload)


def run_letter_job(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, str]:
    """The worker's side of `queue_letter`: issues the letter with the worker's warm renderer."""
    case = session.get(Case, payload["case_id"])
    if case is None:
        raise NotFound(N_("Case not found."))
    actor = session.get(User, payload["actor_id"]) if payload.get("actor_id") else None
    named = payload.get("recipient")
    letter = issue_letter(
        session,
        case=case,
        key=payload["key"],
        actor=actor,
        today=date.fromisoformat(payload["today"]),
        fields={name: _revived(session, value) for name, value in payload["fields"].items()},
        renderer=context.resource("letter_renderer", default_renderer),
        recipient=Recipient(named[0], named[1], ()) if named else None,
    )
    on_letter_issued(session, case=case, letter=letter)  # an SMS to a beneficiary who left a phone number
    return {"letter": letter.reference}


def _plain(value: Any) -> Any:
    if isinstance(value, Place):
        return {"place": value.code}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]  # an address: its places, village first
    if isinstance(value, date):
        return value.isoformat()
    return value


def _revived(session: Session, value: Any) -> Any:
    if isinstance(value, list):
        return [_revived(session, item) for item in value]
    if isinstance(value, dict) and set(value) == {"place"}:
        area = session.get(Area, value["place"])
        return Place.of(area) if area is not None else None
    return _revive(value)


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def check_may_handle(actor: User) -> None:
    """Officers who hand letters out or correct them; others may only read a case's letters."""
    if actor.role not in HANDLER_ROLES:
        raise PermissionDenied(N_("Your role cannot deliver or correct letters."))
