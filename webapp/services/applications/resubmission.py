"""A grievance's level 1 resubmits the contested application: the worker opens the new, linked case."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.clock import local_today
from webapp.domain.errors import NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.messages import N_
from webapp.services.applications.intake import resubmit_application
from webapp.services.casework.events import record_event
from webapp.services.deadlines.sweeps import worker_engine
from webapp.services.platform.jobs import WorkerContext


def run_resubmission(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, str]:
    """Opens the new application once, however often the job runs; grievance and case link both ways."""
    grievance = session.get(Grievance, payload["grievance_id"])
    if grievance is None or grievance.related_case is None:
        raise NotFound(N_("Case not found."))
    if grievance.resubmitted_case is not None:
        return {"case": grievance.resubmitted_case.reference}
    case = resubmit_application(
        session,
        engine=worker_engine(session, context, utcnow()),
        original=grievance.related_case,
        today=local_today(),
        grievance_reference=grievance.reference,
    )
    grievance.resubmitted_case_id = case.id
    record_event(
        session,
        case=grievance.case,
        kind="application_resubmitted",
        actor=None,
        after={"case": case.reference},
    )
    return {"case": case.reference}
