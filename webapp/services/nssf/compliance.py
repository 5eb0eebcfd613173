"""Compliance inspections: an inspector's finding, the notice with its deadline in NSSF working days, the
check at the deadline, and the fine (Article 98) or waiver a second officer decides; an appeal of the
decision goes to the social security grievance process through a job."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import CLOSED, Case
from webapp.domain.clock import local_today
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.jobs import APPEAL_NSSF_DECISION
from webapp.domain.messages import N_
from webapp.domain.nssf import FINDINGS, WAIVER_REASONS, ComplianceFinding, Enterprise, EnterpriseStatus
from webapp.domain.people import User
from webapp.domain.tasks import COMPLETED, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.cases import CaseOpening, open_case
from webapp.services.casework.events import record_event
from webapp.services.correspondence.letters import queue_letter
from webapp.services.nssf.enterprises import recipient_of
from webapp.services.nssf.letters import enterprise_facts
from webapp.services.nssf.records import COMPLIANCE_PROCESS, INSPECTORS, commune_or_village
from webapp.services.platform.jobs import enqueue

NOTICE_DAYS = (7, 15, 30)  # the deadlines an inspector may give, in NSSF working days
CHECK_TASK, PROPOSAL_TASK = "check_compliance", "approve_proposal"


@dataclass(frozen=True)
class Finding:
    finding: str
    details: str
    notice_days: int
    employer_number: str = ""  # a registered enterprise found non-compliant
    # an enterprise NSSF does not know yet: recorded in the registry as unregistered
    name_km: str = ""
    name_latin: str = ""
    legal_form: str = "sole_proprietorship"
    activity: str = "services"
    area_code: str = ""
    workers_found: int | None = None


def record_finding(
    session: Session, *, engine: ProcessEngine, actor: User, finding: Finding, today: date
) -> Case:
    _check_finding(actor, finding)
    enterprise = _enterprise(session, finding, actor)
    opening = CaseOpening(
        process_id=COMPLIANCE_PROCESS,
        reference_prefix="NSC",
        area_code=enterprise.area_code,
        today=today,
        # registered: what the check at the deadline (nssf.checks) answers; False until it has answered.
        data={"finding": finding.finding, "notice_days": finding.notice_days, "registered": False},
        opened={"finding": finding.finding, "enterprise": enterprise.name_latin},
    )
    case = open_case(session, engine, opening=opening, actor=actor, created_by_id=actor.id).case
    session.add(
        ComplianceFinding(
            case_id=case.id,
            enterprise_id=enterprise.id,
            finding=finding.finding,
            details=finding.details.strip(),
            workers_found=finding.workers_found,
            inspector_id=actor.id,
            notice_days=finding.notice_days,
        )
    )
    session.flush()
    queue_letter(
        session,
        case=case,
        key="nssf_compliance_notice",
        fields=_notice_fields(session, finding, enterprise, today),
        actor=actor,
        today=today,
        recipient=recipient_of(enterprise),
    )
    return case


def _check_finding(actor: User, finding: Finding) -> None:
    """Only an inspector records a finding: of a listed kind and deadline, described in 2,000 characters."""
    if actor.role not in INSPECTORS:
        raise PermissionDenied(N_("Only an NSSF inspector can record a finding."))
    if finding.finding not in FINDINGS:
        raise InvalidInput({"finding": [N_("Choose what was found from the list.")]})
    if finding.notice_days not in NOTICE_DAYS:
        raise InvalidInput({"notice_days": [N_("Choose the notice's deadline from the list.")]})
    if len(finding.details) > 2000:
        raise InvalidInput({"details": [N_("The description is too long: shorten it to 2,000 characters.")]})


def _notice_fields(session: Session, finding: Finding, enterprise: Enterprise, today: date) -> dict[str, Any]:
    """What the compliance notice tells the employer: the finding, the deadline, the enterprise's address."""
    return {
        "finding": FINDINGS[finding.finding],
        "details": finding.details.strip(),
        "notice_days": finding.notice_days,
        "found_on": today,
        **enterprise_facts(session, enterprise),
    }


def _enterprise(session: Session, finding: Finding, actor: User) -> Enterprise:
    if finding.employer_number.strip():
        enterprise = session.scalar(
            select(Enterprise).where(Enterprise.employer_number == finding.employer_number.strip())
        )
        if enterprise is None or not actor.covers(enterprise.area_code):
            raise InvalidInput(
                {"employer_number": [N_("No registered enterprise has this employer number.")]}
            )
        return enterprise
    if not finding.name_km.strip() or not finding.name_latin.strip():
        raise InvalidInput({"name_km": [N_("Give the enterprise's name in Khmer and in Latin letters.")]})
    commune_or_village(session, finding.area_code, actor)
    enterprise = Enterprise(
        name_km=finding.name_km.strip()[:200],
        name_latin=finding.name_latin.strip()[:200],
        legal_form=finding.legal_form,
        activity=finding.activity,
        area_code=finding.area_code,
        employee_count=finding.workers_found or 0,
        registration_source="none",
        status=EnterpriseStatus.UNREGISTERED,
    )
    session.add(enterprise)
    session.flush()
    return enterprise


def finding_of(session: Session, case: Case) -> ComplianceFinding | None:
    return session.scalar(select(ComplianceFinding).where(ComplianceFinding.case_id == case.id))


def follow_inspection(session: Session, case: Case, created: list[Task], actor: User | None) -> None:
    """After each step: the proposal's author is kept (each round's), and the decision is refused from that
    same officer (four eyes). The registration check at the deadline is the worker's (nssf.checks)."""
    finding = finding_of(session, case)
    if finding is None:
        return
    completed = _completed_now(session, case, actor)
    if completed is None:
        return
    if completed.spec_name == CHECK_TASK:
        facts = json.loads(completed.submitted_json or "{}")
        finding.proposed_by_id = completed.completed_by_id
        finding.fine_khr = int(facts["fine_khr"]) if facts.get("fine_khr") not in (None, "") else None
    elif completed.spec_name == PROPOSAL_TASK:
        check_four_eyes(finding, completed.completed_by_id)
        finding.decided_by_id = completed.completed_by_id


def check_four_eyes(finding: ComplianceFinding, decider_id: int | None) -> None:
    """The officer who proposed a fine or waiver never decides it: the whole step is refused."""
    if decider_id is not None and decider_id == finding.proposed_by_id:
        raise PermissionDenied(N_("You proposed this fine or waiver: another officer must decide it."))


def _completed_now(session: Session, case: Case, actor: User | None) -> Task | None:
    if actor is None:
        return None
    return session.scalar(
        select(Task)
        .where(Task.case_id == case.id, Task.status == COMPLETED, Task.completed_by_id == actor.id)
        .order_by(Task.completed_at.desc(), Task.id.desc())
        .limit(1)
    )


def close_inspection(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The decision letter: a fine under Article 98 (with how to appeal) or a waiver with its reason."""
    finding = finding_of(session, case)
    if finding is None:
        return
    finding.outcome = case.outcome
    today = local_today()
    key = {"fined": "nssf_fine_decision", "waived": "nssf_waiver_decision"}.get(case.outcome or "")
    if key is None:
        return
    fields = {
        "finding": FINDINGS.get(finding.finding, ""),
        "fine_khr": finding.fine_khr or 0,
        "waiver_reason": WAIVER_REASONS.get(str(data.get("waiver_reason") or ""), ""),
        "decided_on": today,
        **enterprise_facts(session, finding.enterprise),
    }
    queue_letter(
        session,
        case=case,
        key=key,
        fields=fields,
        actor=actor,
        today=today,
        recipient=recipient_of(finding.enterprise),
    )


def appeal_decision(session: Session, *, case: Case, actor: User, grounds: str) -> None:
    """The employer appeals a fine: a job asks the grievances family to open a social security complaint."""
    finding = finding_of(session, case)
    if (
        finding is None
        or case.status != CLOSED
        or case.outcome != "fined"
        or not actor.covers(case.area_code)
    ):
        raise PermissionDenied(N_("Only a decided fine can be appealed."))
    if not grounds.strip() or len(grounds) > 2000:
        raise InvalidInput({"grounds": [N_("Give the grounds of the appeal (at most 2,000 characters).")]})
    payload = {
        "case_reference": case.reference,
        "area_code": case.area_code,
        "complainant": finding.enterprise.name_latin,
        "contact": finding.enterprise.contact_phone,
        "description": grounds.strip(),
    }
    enqueue(session, kind=APPEAL_NSSF_DECISION, payload=payload)
    record_event(
        session, case=case, kind="appeal_sent", actor=actor, after={"grounds": grounds.strip()[:200]}
    )
