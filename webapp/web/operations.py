"""The administrator's operations page: jobs the worker gave up on, with their errors and a retry button."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.domain.jobs import MAX_ATTEMPTS
from webapp.services.platform.operations import failed_jobs, queue_figures, retry_job
from webapp.web.runtime import db

bp = Blueprint("operations", __name__, url_prefix="/operations")


@bp.get("/jobs")
@login_required
def jobs() -> ResponseReturnValue:
    session = db()
    failed = failed_jobs(session, actor=current_user)
    figures = queue_figures(session)
    return render_template("operations_jobs.html", jobs=failed, figures=figures, max_attempts=MAX_ATTEMPTS)


@bp.post("/jobs/<int:job_id>/retry")
@login_required
def retry(job_id: int) -> ResponseReturnValue:
    job = retry_job(db(), actor=current_user, job_id=job_id)
    flash(_("Job %(id)s is queued again.", id=job.id), "info")
    return redirect(url_for("operations.jobs"))
