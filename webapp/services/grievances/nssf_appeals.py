"""An employer appeals an NSSF fine: the worker opens a social security complaint linked to the decision."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area
from webapp.domain.base import utcnow
from webapp.domain.clock import local_today
from webapp.domain.errors import NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.messages import N_
from webapp.services.deadlines.sweeps import worker_engine
from webapp.services.grievances.intake import GrievanceIntake, _open
from webapp.services.platform.jobs import WorkerContext


def run_nssf_appeal(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, str]:
    """Opens the complaint once, however often the job runs (it is found again by its description's case)."""
    area = session.get(Area, payload["area_code"])
    if area is None:
        raise NotFound(N_("Case not found."))
    description = f"{payload['case_reference']}: {payload['description']}"
    existing = session.scalar(select(Grievance.reference).where(Grievance.description == description))
    if existing is not None:
        return {"grievance": existing}
    intake = GrievanceIntake(
        category="social_security",
        description=description[:5000],
        area_code=area.code,
        complainant_name=str(payload.get("complainant") or "")[:120] or "-",
        contact=str(payload.get("contact") or "")[:120],
    )
    engine = worker_engine(session, context, utcnow())
    recorded = _open(session, engine, intake, area, "nssf_counter", "commune", None, local_today(), None)
    return {"grievance": recorded.grievance.reference}
