"""The administrator's operations page: jobs the worker gave up on, with their errors and a retry button."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.domain.jobs import MAX_ATTEMPTS
from webapp.services.casework.admin_lists import JOB_LIST, failed_job_page
from webapp.services.platform.operations import queue_figures, retry_job
from webapp.web.list_pages import Field, date_fields, list_page
from webapp.web.runtime import db

bp = Blueprint("operations", __name__, url_prefix="/operations")


@bp.get("/jobs")
@login_required
def jobs() -> ResponseReturnValue:
    session = db()
    fields = [Field("kind", _l("Kind"), "text"), *date_fields()]
    page = list_page(JOB_LIST, "operations.jobs", fields)
    failed = failed_job_page(session, actor=current_user, listing=page.listing, now=utcnow())
    figures = queue_figures(session)
    return render_template(
        "operations_jobs.html",
        jobs=failed.rows,
        links=failed,
        page=page,
        figures=figures,
        max_attempts=MAX_ATTEMPTS,
    )


@bp.post("/jobs/<int:job_id>/retry")
@login_required
def retry(job_id: int) -> ResponseReturnValue:
    job = retry_job(db(), actor=current_user, job_id=job_id)
    flash(_("Job %(id)s is queued again.", id=job.id), "info")
    return redirect(url_for("operations.jobs"))
