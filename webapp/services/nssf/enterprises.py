"""Registering an enterprise with NSSF: the application (counter, mobile unit, or the public online form), the
check against the business registry, and what the review's outcome leaves in the registry and the letters."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import Case, Outcome
from webapp.domain.clock import local_today
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.nssf import (
    ACTIVITIES,
    CHANNELS,
    LEGAL_FORMS,
    Enterprise,
    EnterpriseStatus,
    PublicApplication,
)
from webapp.domain.people import RoleName, User
from webapp.domain.tasks import COMPLETED, Task
from webapp.engine import ProcessEngine
from webapp.letters import Recipient
from webapp.services.casework.cases import CaseOpening, open_case
from webapp.services.casework.events import record_event
from webapp.services.correspondence.letters import queue_letter
from webapp.services.nssf.adapters import ServiceUnavailable, business_registry
from webapp.services.nssf.letters import enterprise_facts, full_address
from webapp.services.nssf.records import (
    ENTERPRISE_PROCESS,
    OFFICERS,
    commune_or_village,
    reserve_numbers,
)

PUBLIC_LIMIT = 5  # online applications per client address in the window
PUBLIC_WINDOW = timedelta(hours=1)
MAX_NAME = 200


@dataclass(frozen=True)
class EnterpriseApplication:
    name_km: str
    name_latin: str
    legal_form: str
    activity: str
    area_code: str
    employee_count: int
    contact_name: str
    contact_phone: str
    annual_revenue_usd: int | None = None
    registration_number: str = ""  # the business registry's number, if it has one
    channel: str = "counter"


def apply_at_office(
    session: Session, *, engine: ProcessEngine, actor: User, application: EnterpriseApplication, today: date
) -> Case:
    """An officer records an application taken at the counter or by a mobile unit."""
    if actor.role not in OFFICERS:
        raise PermissionDenied(N_("Only an NSSF registration officer can record this application."))
    if application.channel not in ("counter", "mobile_unit"):
        raise InvalidInput({"channel": [N_("Choose how the application was received.")]})
    commune_or_village(session, application.area_code, actor)
    return _open(session, engine, application, actor, today)


def apply_online(
    session: Session, *, engine: ProcessEngine, application: EnterpriseApplication, client: str, today: date
) -> Case:
    """The public form, without an account: a rolling window per hashed client address limits flooding."""
    check_public_rate(session, client=client)
    commune_or_village(session, application.area_code, None)
    with session.begin_nested():
        case = _open(session, engine, _online(application), None, today)
        session.add(PublicApplication(client_hash=_client_hash(client), at=utcnow()))
    return case


def check_public_rate(session: Session, *, client: str) -> None:
    now = utcnow()
    session.execute(delete(PublicApplication).where(PublicApplication.at < now - PUBLIC_WINDOW))
    recent = session.scalar(select(func.count()).where(PublicApplication.client_hash == _client_hash(client)))
    if (recent or 0) >= PUBLIC_LIMIT:
        raise PermissionDenied(
            N_("Too many applications were sent from your connection. Please try again later.")
        )


def _online(application: EnterpriseApplication) -> EnterpriseApplication:
    return EnterpriseApplication(**{**application.__dict__, "channel": "online"})


def _client_hash(client: str) -> str:
    """The address itself is never stored, only a hash good enough to count applications."""
    return hashlib.sha256(f"sala-nssf-online:{client}".encode()).hexdigest()


def _check(application: EnterpriseApplication) -> None:
    errors: dict[str, list[str]] = {}
    if not application.name_km.strip() or not application.name_latin.strip():
        errors["name_km"] = [N_("Give the enterprise's name in Khmer and in Latin letters.")]
    if len(application.name_km) > MAX_NAME or len(application.name_latin) > MAX_NAME:
        errors["name_latin"] = [N_("The name may have at most 200 characters.")]
    if application.legal_form not in LEGAL_FORMS:
        errors["legal_form"] = [N_("Choose a legal form from the list.")]
    if application.activity not in ACTIVITIES:
        errors["activity"] = [N_("Choose an activity from the list.")]
    if application.channel not in CHANNELS:
        errors["channel"] = [N_("Choose how the application was received.")]
    errors.update(_check_figures(application))
    if errors:
        raise InvalidInput(errors)


def _check_figures(application: EnterpriseApplication) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 0 <= application.employee_count <= 1_000_000:
        errors["employee_count"] = [N_("Give the number of employees.")]
    if application.annual_revenue_usd is not None and application.annual_revenue_usd < 0:
        errors["annual_revenue_usd"] = [N_("The revenue cannot be negative.")]
    if not application.contact_name.strip() or len(application.contact_name) > 120:
        errors["contact_name"] = [N_("Give the name of the enterprise's representative.")]
    if len(application.contact_phone) > 20 or len(application.registration_number) > 40:
        errors["contact_phone"] = [N_("The phone or registration number is too long.")]
    return errors


def verify_registration(registration_number: str) -> tuple[str, dict[str, Any]]:
    """Asks the business registry: found (with what it holds), not_found, or unavailable (checked by hand)."""
    if not registration_number.strip():
        return "not_found", {}
    try:
        found = business_registry().lookup(registration_number)
    except ServiceUnavailable:
        return "unavailable", {}
    if found is None:
        return "not_found", {}
    return "found", {
        "registry_name": found.name_latin,
        "registry_source": found.source,
        "registry_registered_on": found.registered_on.isoformat(),
    }


def _open(
    session: Session,
    engine: ProcessEngine,
    application: EnterpriseApplication,
    actor: User | None,
    today: date,
) -> Case:
    _check(application)
    number = application.registration_number.strip().upper() or None
    if number and session.scalar(select(Enterprise.id).where(Enterprise.registration_number == number)):
        raise InvalidInput({"registration_number": [N_("This enterprise has already applied to NSSF.")]})
    enterprise = _applied_enterprise(application, number)
    session.add(enterprise)
    session.flush()
    opening = CaseOpening(
        process_id=ENTERPRISE_PROCESS,
        reference_prefix="NSE",
        area_code=application.area_code,
        today=today,
        # The business registry is asked by the worker (nssf.checks); the case waits for its answer.
        data={"registry_status": "waiting", "channel": application.channel, "enterprise_id": enterprise.id},
        opened={"channel": application.channel, "enterprise": enterprise.name_latin},
    )
    created_by = actor.id if actor else _public_user(session)
    case = open_case(session, engine, opening=opening, actor=actor, created_by_id=created_by).case
    enterprise.case_id = case.id
    return case


def _applied_enterprise(application: EnterpriseApplication, number: str | None) -> Enterprise:
    """The enterprise as it applied: its details and contact; the registry's check confirms its source."""
    return Enterprise(
        registration_number=number,
        name_km=application.name_km.strip(),
        name_latin=application.name_latin.strip(),
        legal_form=application.legal_form,
        activity=application.activity,
        area_code=application.area_code,
        annual_revenue_usd=application.annual_revenue_usd,
        employee_count=application.employee_count,
        registration_source="district_office" if number else "none",
        contact_name=application.contact_name.strip(),
        contact_phone=application.contact_phone.strip(),
        status=EnterpriseStatus.APPLIED,
    )


def _public_user(session: Session) -> int:
    found = session.scalar(
        select(User.id).where(User.role == RoleName.ADMINISTRATOR).order_by(User.id).limit(1)
    )
    if found is None:
        raise PermissionDenied()
    return found


def enterprise_of(session: Session, case: Case) -> Enterprise | None:
    return session.scalar(select(Enterprise).where(Enterprise.case_id == case.id))


def recipient_of(enterprise: Enterprise) -> Recipient:
    return Recipient(enterprise.name_km, enterprise.name_latin, ())


def ask_for_documents(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The review asked for more documents: the enterprise gets a letter listing them."""
    enterprise = enterprise_of(session, case)
    if enterprise is None:
        return
    today = local_today()
    fields = {
        "documents": str(data.get("missing_documents") or ""),
        "asked_on": today,
        "address": full_address(session, enterprise.area_code),
    }
    queue_letter(
        session,
        case=case,
        key="nssf_documents_request",
        fields=fields,
        actor=actor,
        today=today,
        recipient=recipient_of(enterprise),
    )


def record_manual_check(session: Session, case: Case, data: Mapping[str, Any], actor: User) -> None:
    """The officer verified by hand (the registry did not answer): the registry keeps what they found."""
    enterprise = enterprise_of(session, case)
    last = session.scalar(
        select(Task.spec_name)
        .where(Task.case_id == case.id, Task.status == COMPLETED)
        .order_by(Task.completed_at.desc(), Task.id.desc())
        .limit(1)
    )
    if enterprise is None or last != "verify_by_hand" or data.get("registry_status") == "unavailable":
        return
    if data.get("registry_status") == "not_found":
        enterprise.registration_source = "none"
    elif enterprise.registration_source == "none":
        enterprise.registration_source = "district_office"
    after = {"result": data.get("registry_status"), "by_hand": True}
    record_event(session, case=case, kind="registry_checked", actor=actor, after=after)


def close_registration(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """Approval registers the enterprise: its employer number and the registration certificate."""
    enterprise = enterprise_of(session, case)
    if enterprise is None:
        return
    today = local_today()
    if case.outcome != Outcome.APPROVED:
        enterprise.status = EnterpriseStatus.REJECTED
        return
    [number] = reserve_numbers(
        session, prefix="EMP", province=enterprise.area_code[:2], year=today.year, count=1
    )
    enterprise.employer_number, enterprise.status, enterprise.registered_on = (
        number,
        EnterpriseStatus.REGISTERED,
        today,
    )
    record_event(
        session, case=case, kind="employer_registered", actor=actor, after={"employer_number": number}
    )
    fields = {
        "registered_on": today,
        "legal_form": LEGAL_FORMS.get(enterprise.legal_form, ""),
        "activity": ACTIVITIES.get(enterprise.activity, ""),
        **enterprise_facts(session, enterprise),
    }
    queue_letter(
        session,
        case=case,
        key="nssf_registration_certificate",
        fields=fields,
        actor=actor,
        today=today,
        recipient=recipient_of(enterprise),
    )
