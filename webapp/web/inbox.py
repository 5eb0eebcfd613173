"""The officer's inbox: my tasks, tasks to claim, and for supervisors every open task of their area."""

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.services.casework.queries import SLA_FILTERS, inbox
from webapp.services.deadlines.due_times import sla_views
from webapp.web.params import query_int
from webapp.web.runtime import db

bp = Blueprint("inbox", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    now, session = utcnow(), db()
    sla = request.args.get("sla") if request.args.get("sla") in SLA_FILTERS else None
    sort = "oldest" if request.args.get("sort") == "oldest" else "due"
    page = request.args.get("page", "0")
    page_number = query_int(page, default=0, largest=10_000)
    found = inbox(session, user=current_user, sla=sla, now=now, sort=sort, page=page_number)
    views = sla_views(session, [*found.mine, *found.available, *found.supervised], now=now)
    return render_template("inbox.html", inbox=found, now=now, sla=views, sla_filter=sla, sort=sort)
