"""A read-only JSON API for officers' tools (dashboards fed by API): the same area rules and confidentiality
as the pages, answered with the signed-in officer's session."""

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.domain.errors import DomainError
from webapp.domain.grievances import Grievance
from webapp.services.grievances.confidentiality import (
    Complainant,
    complainant_for,
    get_grievance,
    grievance_rows,
)
from webapp.web.errors import translated
from webapp.web.runtime import db

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(DomainError)
def api_error(error: DomainError) -> ResponseReturnValue:
    return jsonify(error=translated(error)), error.status


@bp.get("/grievances")
@login_required
def grievances() -> ResponseReturnValue:
    limit = request.args.get("limit", "100")
    rows = grievance_rows(db(), user=current_user, limit=min(int(limit), 500) if limit.isdigit() else 100)
    return jsonify(grievances=[_grievance(grievance, complainant) for grievance, complainant in rows])


@bp.get("/grievances/<int:grievance_id>")
@login_required
def grievance(grievance_id: int) -> ResponseReturnValue:
    session = db()
    found = get_grievance(session, grievance_id=grievance_id, user=current_user)
    return jsonify(
        grievance=_grievance(found, complainant_for(session, grievance=found, viewer=current_user))
    )


def _grievance(grievance: Grievance, complainant: Complainant) -> dict[str, Any]:
    return {
        "reference": grievance.reference,
        "category": grievance.category,
        "channel": grievance.channel,
        "area": grievance.area_code,
        "level": grievance.level,
        "status": grievance.status,
        "decision": grievance.decision,
        "received_at": grievance.received_at.isoformat(),
        "complainant": {
            "name": complainant.name,
            "contact": complainant.contact,
            "hidden": _(complainant.hidden) if complainant.hidden else None,
        },
    }
