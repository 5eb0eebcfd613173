"""What each NSSF step does beyond the engine: letters when documents are asked for, the four-eyes rule of
compliance decisions, and the registries' updates when a case closes."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.people import User
from webapp.services.casework.families import StepOutcome
from webapp.services.nssf.checks import request_checks
from webapp.services.nssf.compliance import close_inspection, follow_inspection
from webapp.services.nssf.enterprises import ask_for_documents, close_registration, record_manual_check
from webapp.services.nssf.members import close_declaration
from webapp.services.nssf.records import COMPLIANCE_PROCESS, ENTERPRISE_PROCESS, MEMBER_PROCESS

DOCUMENTS_STEP = "receive_documents"
REVIEW_STEP = "review_application"


def follow_nssf(session: Session, step: StepOutcome) -> None:
    """The family's step hook."""
    case = step.case
    request_checks(session, case)
    opened = {task.spec_name for task in step.created}
    if case.process_id == ENTERPRISE_PROCESS and DOCUMENTS_STEP in opened:
        ask_for_documents(session, case, step.data or {}, step.actor)
    elif case.process_id == ENTERPRISE_PROCESS and REVIEW_STEP in opened and step.actor is not None:
        record_manual_check(session, case, step.data or {}, step.actor)
    elif case.process_id == COMPLIANCE_PROCESS:
        follow_inspection(session, case, list(step.created), step.actor)


def close_nssf(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The family's close hook: the registry follows the outcome, and the letters go out."""
    if case.process_id == ENTERPRISE_PROCESS:
        close_registration(session, case, data, actor)
    elif case.process_id == MEMBER_PROCESS:
        close_declaration(session, case, data, actor)
    elif case.process_id == COMPLIANCE_PROCESS:
        close_inspection(session, case, data, actor)
