"""SLA pages: the supervisor's at-risk list, calendar editing for administrators, and the SLA report."""

from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.services.casework.bulk import reassign_tasks
from webapp.services.casework.queries import Candidate, candidates_for_tasks
from webapp.services.deadlines import calendar_admin
from webapp.services.deadlines.due_times import sla_views
from webapp.services.deadlines.report import report_csv, sla_report
from webapp.services.deadlines.supervision import WATCH_LIST, watch_page
from webapp.sla.calendar import WEEKDAYS
from webapp.web.errors import translated
from webapp.web.list_pages import bulk, list_page, task_fields
from webapp.web.params import optional_month
from webapp.web.runtime import db, discard
from webapp.web.sla_chart import bar_chart

bp = Blueprint("sla", __name__, url_prefix="/sla")
WATCH_STATES = ("at_risk", "breached")


@bp.get("/watch")
@login_required
def watch() -> ResponseReturnValue:
    session, now = db(), utcnow()
    if not current_user.is_supervisor:
        abort(404)
    page = list_page(WATCH_LIST, "sla.watch", task_fields(WATCH_STATES))
    found = watch_page(session, user=current_user, now=now, listing=page.listing)
    candidates = candidates_for_tasks(session, tasks=found.rows)
    return render_template(
        "sla_watch.html",
        tasks=found.rows,
        links=found,
        page=page,
        sla=sla_views(session, found.rows, now=now),
        candidates=candidates,
        officers=_officers(candidates),
    )


def _officers(candidates: dict[int, list[Candidate]]) -> list[Candidate]:
    """Everyone who may take at least one task of the page, once each, for the bulk reassign."""
    found = {officer.id: officer for offered in candidates.values() for officer in offered}
    return sorted(found.values(), key=lambda officer: officer.username)


@bp.post("/watch/reassign")
@login_required
def reassign_selected() -> ResponseReturnValue:
    """Hands the ticked tasks to one officer; each goes through `reassign_task` and its checks."""
    assignee = request.form.get("assignee_id", "")
    assignee_id = int(assignee) if assignee.isascii() and assignee.isdigit() and len(assignee) <= 9 else 0
    return bulk(
        WATCH_LIST,
        "sla.watch",
        "task_id",
        lambda ids: reassign_tasks(db(), task_ids=ids, assignee_id=assignee_id, actor=current_user),
        N_("%(count)s reassigned"),
    )


@bp.get("/calendars")
@login_required
def calendars() -> ResponseReturnValue:
    return render_template("calendars.html", calendars=calendar_admin.calendars(db(), actor=current_user))


@bp.get("/calendars/<name>")
@login_required
def calendar(name: str) -> ResponseReturnValue:
    return _calendar_page(name)


@bp.post("/calendars/<name>/week")
@login_required
def save_week(name: str) -> ResponseReturnValue:
    weekly = {day: request.form.get(f"day_{day}", "") for day in WEEKDAYS}
    holidays = request.form.get("public_holidays") == "on"
    return _saved(
        name,
        lambda s: calendar_admin.update_week(
            s, name=name, weekly_text=weekly, public_holidays=holidays, actor=current_user
        ),
    )


@bp.post("/calendars/<name>/days")
@login_required
def add_day(name: str) -> ResponseReturnValue:
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        calendar_admin.get_calendar(db(), name=name, actor=current_user)  # role and name first
        return _calendar_page(name, {"day": [_("Enter a date as YYYY-MM-DD.")]}, 422)
    working = request.form.get("working") == "yes"
    reason = request.form.get("reason", "")
    return _saved(
        name,
        lambda s: calendar_admin.add_exception(
            s, name=name, day=day, working=working, reason=reason, actor=current_user
        ),
    )


@bp.post("/calendars/<name>/days/<int:exception_id>/delete")
@login_required
def remove_day(name: str, exception_id: int) -> ResponseReturnValue:
    return _saved(
        name,
        lambda s: calendar_admin.remove_exception(
            s, name=name, exception_id=exception_id, actor=current_user
        ),
    )


@bp.post("/calendars/<name>/offices")
@login_required
def assign_office(name: str) -> ResponseReturnValue:
    area_code = request.form.get("area_code", "").strip()
    return _saved(
        name, lambda s: calendar_admin.assign_office(s, name=name, area_code=area_code, actor=current_user)
    )


@bp.post("/calendars/<name>/offices/<area_code>/delete")
@login_required
def unassign_office(name: str, area_code: str) -> ResponseReturnValue:
    return _saved(
        name, lambda s: calendar_admin.unassign_office(s, name=name, area_code=area_code, actor=current_user)
    )


@bp.get("/report")
@login_required
def report() -> ResponseReturnValue:
    session = db()
    area = request.args.get("area", "")
    month = _month(request.args.get("month", ""))
    found = sla_report(
        session, user=current_user, area_code=area or None, now=utcnow(), first_month=month, last_month=month
    )
    if request.args.get("format") == "csv":
        return Response(
            report_csv(found),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment; filename=sla-report.csv"},
        )
    return render_template(
        "sla_report.html", report=found, area=area, month=month, chart=bar_chart(found.rows)
    )


def _month(value: str) -> date | None:
    """A "YYYY-MM" month of the form; None (the last few months) when absent; a 400 when malformed."""
    return optional_month(value)


def _saved(name: str, change: Callable[[Session], object]) -> ResponseReturnValue:
    session = db()
    try:
        change(session)
    except InvalidInput as error:
        discard()
        return _calendar_page(name, {field: [_(m) for m in ms] for field, ms in error.errors.items()}, 422)
    flash(_("The calendar was saved; open tasks have their due times again."), "success")
    return redirect(url_for("sla.calendar", name=name))


def _calendar_page(
    name: str, errors: dict[str, list[str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    session = db()
    row = calendar_admin.get_calendar(session, name=name, actor=current_user)
    page = render_template(
        "calendar_edit.html",
        calendar=row,
        week=calendar_admin.snapshot(row)["weekly"],
        changes=calendar_admin.changes(session, calendar=row),
        offices=calendar_admin.offices(session, calendar=row),
        errors=errors or {},
        translated=translated,
    )
    return page, status
