"""Recording a grievance by channel (officers and the public form) and its public status check."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.grievances import (
    CATEGORIES,
    MAX_DESCRIPTION,
    STATUSES,
    Grievance,
    GrievanceStatus,
    PublicSubmission,
)
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.engine import ProcessEngine
from webapp.services.casework.cases import CaseOpening, open_case
from webapp.services.casework.documents import Upload, attach_documents, check_uploads
from webapp.services.grievances.progress import send_acknowledgement

SSDM_PROCESS = "grievance_ssdm"
SOCIAL_SECURITY_PROCESS = "grievance_social_security"
# Who records a grievance, through which channel, and where its first-round answer is given.
INTAKE: dict[str, tuple[str, str]] = {
    RoleName.VDC_MEMBER: ("village", "village"),
    RoleName.COMMUNE_ASSISTANT: ("commune", "commune"),
    RoleName.INTER_SECTOR_OFFICER: ("district", "district"),
    RoleName.HOTLINE_OFFICER: ("hotline", "commune"),
    RoleName.NSSF_GRIEVANCE_OFFICER: ("nssf_counter", "commune"),
}
# Letters only: Khmer letters print digits as Khmer digits; no I, L or O to misread on paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789", "\u200b ")
CODE_LENGTH = 8
# The public form: at most this many grievances per client address in the window.
PUBLIC_LIMIT = 5
PUBLIC_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class GrievanceIntake:
    category: str
    description: str
    area_code: str
    anonymous: bool = False
    complainant_name: str = ""
    contact: str = ""
    confidential: bool = False
    related_reference: str = ""
    attachments: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Recorded:
    grievance: Grievance
    status_code: str  # shown once, printed on the acknowledgement; only its hash is kept


def record_grievance(
    session: Session,
    *,
    engine: ProcessEngine,
    actor: User,
    intake: GrievanceIntake,
    today: date,
    max_upload_bytes: int,
    appeal_of: Grievance | None = None,
) -> Recorded:
    """An officer records a grievance received through their channel; nothing is stored if anything fails."""
    if actor.role not in INTAKE:
        raise PermissionDenied(N_("Your role cannot record grievances."))
    channel, level1_at = INTAKE[actor.role]
    check_uploads(intake.attachments, max_bytes=max_upload_bytes)
    area = _area_in_scope(session, intake.area_code, actor, village=channel == "village")
    with session.begin_nested():
        recorded = _open(session, engine, intake, area, channel, level1_at, actor, today, appeal_of)
        attach_documents(session, case=recorded.grievance.case, uploads=intake.attachments, actor=actor)
    return recorded


def appeal_grievance(
    session: Session,
    *,
    engine: ProcessEngine,
    original: Grievance,
    actor: User,
    today: date,
    max_upload_bytes: int,
) -> Recorded:
    """The complainant appeals a level-1 answer: a new grievance linked to it, starting at the committee."""
    appealed = session.scalar(select(Grievance.id).where(Grievance.appeal_of_id == original.id))
    if original.decided_level != 1 or appealed is not None:
        raise PermissionDenied(N_("Only a level-1 decision can be appealed, and only once."))
    intake = GrievanceIntake(
        category=original.category,
        description=original.description,
        area_code=original.area_code,
        anonymous=original.anonymous,
        complainant_name=original.complainant_name or "",
        contact=original.contact or "",
        confidential=original.confidential,
        related_reference=original.related_case.reference if original.related_case else "",
    )
    return record_grievance(
        session,
        engine=engine,
        actor=actor,
        intake=intake,
        today=today,
        max_upload_bytes=max_upload_bytes,
        appeal_of=original,
    )


def submit_public_grievance(
    session: Session, *, engine: ProcessEngine, intake: GrievanceIntake, client: str, today: date
) -> Recorded:
    """The public web form: no account, so a rolling window per client address limits flooding."""
    check_public_rate(session, client=client)
    area = session.get(Area, intake.area_code)
    if area is None or area.level not in (AreaLevel.COMMUNE, AreaLevel.VILLAGE):
        raise InvalidInput({"area": [N_("Choose your commune from the list.")]})
    with session.begin_nested():
        recorded = _open(session, engine, intake, area, "web", "commune", None, today, None)
        session.add(PublicSubmission(client_hash=_client_hash(client), at=utcnow()))
    return recorded


def check_public_rate(session: Session, *, client: str) -> None:
    now = utcnow()
    session.execute(delete(PublicSubmission).where(PublicSubmission.at < now - PUBLIC_WINDOW))
    recent = session.scalar(select(func.count()).where(PublicSubmission.client_hash == _client_hash(client)))
    if (recent or 0) >= PUBLIC_LIMIT:
        raise PermissionDenied(
            N_("Too many grievances were sent from your connection. Please try again later.")
        )


def public_status(session: Session, *, reference: str, code: str) -> dict[str, Any]:
    """What the public status page shows: only the status, level and decision, never a name or the text."""
    reference = reference.translate(KHMER_DIGITS).strip().upper()  # as printed on a Khmer letter, too
    grievance = session.scalar(select(Grievance).where(Grievance.reference == reference))
    expected = grievance.status_code_hash if grievance else _code_hash("", "")
    if grievance is None or not hmac.compare_digest(expected, _code_hash(grievance.reference, code)):
        raise NotFound(N_("No grievance matches this number and code. Check both on your acknowledgement."))
    return {
        "reference": grievance.reference,
        "status": STATUSES.get(grievance.status, grievance.status),
        "level": grievance.level,
        "decision": grievance.decision,
        "received_at": grievance.received_at,
        "resolved_at": grievance.resolved_at,
    }


def _open(
    session: Session,
    engine: ProcessEngine,
    intake: GrievanceIntake,
    area: Area,
    channel: str,
    level1_at: str,
    actor: User | None,
    today: date,
    appeal_of: Grievance | None,
) -> Recorded:
    _check_intake(intake)
    opening = _opening(intake, area, channel, level1_at, today, appeal=appeal_of is not None)
    # The grievance row follows the case row: the family's step hook finds nothing to follow until then.
    opened = open_case(
        session,
        engine,
        opening=opening,
        actor=actor,
        created_by_id=actor.id if actor else _public_intake_user(session),
    )
    case, reference = opened.case, opened.case.reference
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    grievance = _grievance_row(intake, case, reference, code, area, channel, actor, appeal_of, session)
    session.add(grievance)
    session.flush()
    send_acknowledgement(session, grievance=grievance, status_code=code, actor=actor, today=today)
    return Recorded(grievance, code)


def _opening(
    intake: GrievanceIntake, area: Area, channel: str, level1_at: str, today: date, *, appeal: bool
) -> CaseOpening:
    """The grievance's case: the NSSF's process for social security complaints, the SSDM's for the rest."""
    data = {
        "category": intake.category,
        "level1_at": level1_at,
        "recorded_by_vdc": channel == "village",
        "appeal": appeal,
        "escalated_by_breach": False,
    }
    return CaseOpening(
        process_id=SOCIAL_SECURITY_PROCESS if intake.category == "social_security" else SSDM_PROCESS,
        reference_prefix="GRV",
        area_code=area.code,
        today=today,
        data=data,
        reference_key="case_reference",
        opened={"channel": channel},
    )


def _grievance_row(
    intake: GrievanceIntake,
    case: Case,
    reference: str,
    code: str,
    area: Area,
    channel: str,
    actor: User | None,
    appeal_of: Grievance | None,
    session: Session,
) -> Grievance:
    related = None
    if intake.related_reference.strip():
        related = session.scalar(select(Case).where(Case.reference == intake.related_reference.strip()))
        if related is None or not related.area_code.startswith(area.code[:4]):
            message = N_("No application with this number in this district.")
            raise InvalidInput({"related_reference": [message]})
    return Grievance(
        case_id=case.id,
        case=case,
        reference=reference,
        status_code_hash=_code_hash(reference, code),
        anonymous=intake.anonymous,
        complainant_name=None if intake.anonymous else intake.complainant_name.strip() or None,
        contact=None if intake.anonymous else intake.contact.strip() or None,
        area_code=area.code,
        category=intake.category,
        related_case_id=related.id if related else None,
        description=intake.description.strip(),
        channel=channel,
        confidential=intake.confidential,
        level=2 if appeal_of else 1,
        status=GrievanceStatus.LEVEL_2 if appeal_of else GrievanceStatus.LEVEL_1,
        appeal_of_id=appeal_of.id if appeal_of else None,
        recorded_by_id=actor.id if actor else None,
    )


def _check_intake(intake: GrievanceIntake) -> None:
    errors: dict[str, list[str]] = {}
    text = intake.description.strip()
    if not text:
        errors["description"] = [N_("Describe the grievance.")]
    elif len(text) > MAX_DESCRIPTION:
        errors["description"] = [N_("The description is too long: shorten it to 5,000 characters.")]
    if intake.category not in CATEGORIES:
        errors["category"] = [N_("Choose a category from the list.")]
    if not intake.anonymous and not intake.complainant_name.strip():
        errors["complainant_name"] = [N_("Give the complainant's name, or tick anonymous.")]
    if len(intake.complainant_name) > 120 or len(intake.contact) > 120:
        errors["contact"] = [N_("The name and contact may have at most 120 characters each.")]
    if errors:
        raise InvalidInput(errors)


def _area_in_scope(session: Session, code: str, actor: User, *, village: bool) -> Area:
    area = session.get(Area, code)
    levels = (AreaLevel.VILLAGE,) if village else (AreaLevel.VILLAGE, AreaLevel.COMMUNE)
    if area is None or area.level not in levels or not actor.covers(code):
        raise InvalidInput({"area": [N_("Choose a village or commune of your area.")]})
    return area


def _public_intake_user(session: Session) -> int:
    """case_file needs a creator: the public form's cases are credited to the administrator account."""
    found = session.scalar(
        select(User.id).where(User.role == RoleName.ADMINISTRATOR).order_by(User.id).limit(1)
    )
    if found is None:
        raise NotFound()
    return found


def _code_hash(reference: str, code: str) -> str:
    return hashlib.sha256(f"{reference}:{code.strip().upper()}".encode()).hexdigest()


def _client_hash(client: str) -> str:
    """The address itself is never stored, only a hash good enough to count submissions."""
    return hashlib.sha256(f"sala-public-form:{client}".encode()).hexdigest()
