"""A task: claim, release, reassign, and the task's form; views stay thin, services decide."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from webapp.domain.base import utcnow
from webapp.domain.tasks import OPEN, Task
from webapp.forms import FormSpec
from webapp.services.casework import tasks as task_service
from webapp.services.casework.access import may_read_personal
from webapp.services.casework.families import decision_facts
from webapp.services.casework.previews import thumbnail as document_thumbnail
from webapp.services.casework.queries import candidates_for, case_view
from webapp.services.deadlines.due_times import sla_views
from webapp.web.choices import choices_for
from webapp.web.form_actions import attempt
from webapp.web.form_builder import build_form, plain_data, uploads_from
from webapp.web.runtime import db, runtime, today

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.post("/<int:task_id>/claim")
@login_required
def claim(task_id: int) -> ResponseReturnValue:
    session = db()
    task_service.claim_task(session, task_id=task_id, actor=current_user)
    flash(_("The task is yours now."), "success")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.post("/<int:task_id>/release")
@login_required
def release(task_id: int) -> ResponseReturnValue:
    session = db()
    task_service.release_task(session, task_id=task_id, actor=current_user)
    flash(_("The task is back in the shared list."), "info")
    return redirect(url_for("inbox.index"))


@bp.post("/<int:task_id>/reassign")
@login_required
def reassign(task_id: int) -> ResponseReturnValue:
    assignee = request.form.get("assignee_id", "")
    if not assignee.isdigit():
        abort(400)
    session = db()
    task_service.reassign_task(session, task_id=task_id, assignee_id=int(assignee), actor=current_user)
    flash(_("The task was reassigned."), "success")
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("inbox.index")
    )


@bp.route("/<int:task_id>", methods=["GET", "POST"])
@login_required
def show(task_id: int) -> ResponseReturnValue:
    session = db()
    task = task_service.get_task(session, task_id=task_id, user=current_user)
    spec = runtime().forms.get(task.form_key or "")
    if spec is None:
        abort(404)
    form = build_form(spec, choices=choices_for(session, current_user), today=today())
    can_submit = task.status == OPEN and task.assignee_id == current_user.id
    if request.method == "POST" and can_submit and form.validate_on_submit():
        if attempt(form, lambda: _submit(task_id, spec, form)) is not None:
            flash(_("Task completed."), "success")
            return redirect(url_for("inbox.index"))
        if not form.errors:  # refused for the case, not the fields: show the task as it is now
            return redirect(url_for("tasks.show", task_id=task_id))
    elif request.method == "POST" and not can_submit:
        flash(_("This task is no longer open, or it is not held by you."), "error")
    status = 422 if form.errors else 200
    view = case_view(session, case_id=task.case_id, user=current_user)
    candidates = candidates_for(session, task=task) if current_user.is_supervisor else []
    return render_template(
        "task.html",
        task=task,
        form=form,
        spec=spec,
        view=view,
        can_submit=can_submit,
        candidates=candidates,
        facts=decision_facts(session, view.case),
        sla=sla_views(session, [task], now=utcnow()).get(task.id),
        previews=may_read_personal(session, case=view.case, viewer=current_user),
    ), status


@bp.get("/<int:task_id>/documents/<int:document_id>/thumbnail")
@login_required
def thumbnail(task_id: int, document_id: int) -> ResponseReturnValue:
    """A document's first page as a small PNG, under the task's area rule and the case's personal rule."""
    session = db()
    task = task_service.get_task(session, task_id=task_id, user=current_user)
    png = document_thumbnail(session, case=task.case, document_id=document_id, viewer=current_user)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


def _submit(task_id: int, spec: FormSpec, form: FlaskForm) -> Task:
    session = db()
    data = plain_data(spec, form)
    version = request.form.get("case_version", "")
    task = task_service.submit_task(
        session,
        engine=runtime().process_engine,
        task_id=task_id,
        data=data,
        actor=current_user,
        case_version=int(version) if version.isdigit() else None,
        uploads=uploads_from(spec, form, kind=data.get("document_kind")),
        max_upload_bytes=runtime().settings.max_upload_bytes,
    )
    return task
