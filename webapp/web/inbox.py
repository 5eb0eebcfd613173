"""The officer's inbox: my tasks, tasks to claim, and for supervisors every open task of their area."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.services.queries import inbox
from webapp.web.runtime import db

bp = Blueprint("inbox", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template("inbox.html", inbox=inbox(db(), user=current_user), now=utcnow())
