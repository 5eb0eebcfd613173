"""A grievance follows its workflow: level, status and decision on its row, and a letter at each step."""

from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel, cut_to_level
from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED
from webapp.domain.clock import PHNOM_PENH, local_today
from webapp.domain.grievances import Grievance, GrievanceStatus
from webapp.domain.jobs import RESUBMIT_APPLICATION
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.registry import APPEAL_DAYS
from webapp.domain.sla import FIRED, WorkflowTimer
from webapp.domain.tasks import OPEN, Task
from webapp.letters import Place, Recipient
from webapp.services.casework.events import record_event
from webapp.services.casework.families import StepOutcome
from webapp.services.correspondence.letters import queue_letter
from webapp.services.platform.business_rules import business_rule
from webapp.services.platform.jobs import enqueue

GRIEVANCE_PROCESSES = ("grievance_ssdm", "grievance_social_security")
# Where each level-2 step sits: the office named on the escalation notice.
LEVEL_2_ROLES: dict[str, AreaLevel] = {
    RoleName.CWCC_SECRETARY: AreaLevel.DISTRICT,
    RoleName.TCC_SECRETARY: AreaLevel.DISTRICT,
    RoleName.PROVINCE_ESA_OFFICER: AreaLevel.PROVINCE,
    RoleName.SSR_OFFICER: AreaLevel.PROVINCE,
}
BREACH_TIMER = "level_1_overdue"
NEXT_STEP = {
    1: N_("If you accept this decision, nothing more is needed."),
    2: N_("This decision of the committee closes your grievance in the one-stop shop."),
}


def follow_grievance(session: Session, step: StepOutcome) -> None:
    """The family's step hook: called by the core after every engine step of a grievance case."""
    created, data, actor = step.created, step.data, step.actor
    grievance = session.scalar(select(Grievance).where(Grievance.case_id == step.case.id))
    if grievance is None:  # the case row is flushed before its grievance while it is being opened
        return
    if data and data.get("outcome") == "resubmitted" and grievance.related_case_id:
        # The worker, which has an engine, opens the new application once this step has committed.
        enqueue(session, kind=RESUBMIT_APPLICATION, payload={"grievance_id": grievance.id})
    if (
        data
        and data.get("decided_level")
        and grievance.status not in (GrievanceStatus.RESOLVED, GrievanceStatus.CLOSED)
    ):
        _decide(session, grievance, data, actor)
    elif grievance.level == 1 and any(task.role in LEVEL_2_ROLES for task in created):
        _escalate(session, grievance, next(t for t in created if t.role in LEVEL_2_ROLES), actor)
    if grievance.case.status == CLOSED and grievance.status == GrievanceStatus.RESOLVED:
        grievance.status = GrievanceStatus.CLOSED


def _escalate(session: Session, grievance: Grievance, task: Task, actor: User | None) -> None:
    breach = session.scalar(
        select(WorkflowTimer.id).where(
            WorkflowTimer.case_id == grievance.case_id,
            WorkflowTimer.spec_name == BREACH_TIMER,
            WorkflowTimer.status == FIRED,
        )
    )
    grievance.level, grievance.status = 2, GrievanceStatus.LEVEL_2
    grievance.escalated_by_breach = breach is not None
    reason = N_("The first-round answer was not given in time.") if breach else ""
    record_event(
        session,
        case=grievance.case,
        kind="grievance_escalated",
        actor=actor,
        after={"to": task.role, "by_breach": breach is not None},
    )
    office = session.get(Area, cut_to_level(grievance.area_code, LEVEL_2_ROLES[task.role]))
    if grievance.anonymous or office is None:
        return  # an anonymous person follows the grievance on the public status page only
    fields = {"to_office": Place.of(office), "reason": reason}
    queue_letter(
        session,
        case=grievance.case,
        key="escalation_notice",
        actor=actor,
        today=local_today(),
        fields=fields,
        recipient=recipient_of(grievance),
    )


def _decide(session: Session, grievance: Grievance, data: Mapping[str, Any], actor: User | None) -> None:
    level = int(data["decided_level"])
    grievance.decision = str(data.get("decision") or "") or None
    grievance.decision_reason = str(data.get("decision_reason") or "") or None
    grievance.decided_level, grievance.status, grievance.resolved_at = (
        level,
        GrievanceStatus.RESOLVED,
        utcnow(),
    )
    grievance.adr_method = data.get("adr_method") or grievance.adr_method
    record_event(
        session,
        case=grievance.case,
        kind="grievance_decided",
        actor=actor,
        after={"decision": grievance.decision, "level": level, "outcome": data.get("outcome")},
    )
    if grievance.anonymous:
        return
    fields = {
        "upheld": grievance.decision in ("upheld", "partly_upheld"),
        "reason": grievance.decision_reason or "",
        "appeal_days": business_rule(session, APPEAL_DAYS) if level == 1 else 0,
        "next_step": NEXT_STEP[level],
    }
    queue_letter(
        session,
        case=grievance.case,
        key="grievance_decision",
        actor=actor,
        today=local_today(),
        fields=fields,
        recipient=recipient_of(grievance),
    )


def send_acknowledgement(
    session: Session, *, grievance: Grievance, status_code: str, actor: User | None, today: date
) -> None:
    """Queued at intake with the reference and the status code; the answer is due when the BPMN's
    level-1 deadline timer fires, so the letter and the process never disagree."""
    fields = {
        "received_on": today,
        "summary": grievance.description[:300],
        "respond_by": _answer_due(session, grievance) or today,
        "status_code": status_code,
    }
    queue_letter(
        session,
        case=grievance.case,
        key="grievance_acknowledgement",
        actor=actor,
        today=today,
        fields=fields,
        recipient=recipient_of(grievance),
    )


def _answer_due(session: Session, grievance: Grievance) -> date | None:
    """When the answer is due, in Cambodia: the BPMN's level-1 deadline timer, or for an appeal (which
    starts at the committee) the due time of its open step, so the letter and the process never disagree."""
    due_at = session.scalar(
        select(WorkflowTimer.due_at).where(
            WorkflowTimer.case_id == grievance.case_id, WorkflowTimer.spec_name == BREACH_TIMER
        )
    ) or session.scalar(
        select(func.min(Task.due_at)).where(Task.case_id == grievance.case_id, Task.status == OPEN)
    )
    return due_at.replace(tzinfo=UTC).astimezone(PHNOM_PENH).date() if due_at else None


def recipient_of(grievance: Grievance) -> Recipient:
    """The letter's addressee: the complainant, or no name at all for an anonymous grievance."""
    name = "" if grievance.anonymous else grievance.complainant_name or ""
    return Recipient(name, name, ())
