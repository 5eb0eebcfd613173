"""Notifications: the bell's count on every page, the officer's list, opening one, and their channels."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.notifications import NOTIFICATION_TEXTS
from webapp.domain.tasks import OPEN, Task
from webapp.services.notifications.preferences import Choices, preferences_of, save_preferences
from webapp.services.notifications.reading import (
    NOTIFICATION_LIST,
    mark_all_read,
    notification_page,
    open_notification,
    unread_count,
)
from webapp.web.list_pages import choice_field, date_fields, list_page, sort_field
from webapp.web.runtime import db, discard

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def bell() -> dict[str, object]:
    """`unread_notifications()` for the top bar; counted only when a page that shows the bell asks."""

    def unread_notifications() -> int:
        return unread_count(db(), user=current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    fields = [
        choice_field("state", _l("Show"), {"unread": N_("Unread"), "read": N_("Read")}),
        *date_fields(),
        sort_field({"unread": _l("Unread first"), "newest": _l("Newest first")}),
    ]
    page = list_page(NOTIFICATION_LIST, "notifications.index", fields)
    found = notification_page(db(), user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "notifications.html", notes=found.rows, links=found, page=page, texts=NOTIFICATION_TEXTS
    )


@bp.get("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int) -> ResponseReturnValue:
    """Marks the notification read and goes to its task while it is open, else to its case."""
    session = db()
    note = open_notification(session, notification_id=notification_id, user=current_user)
    task = session.get(Task, note.task_id) if note.task_id else None
    if task is not None and task.status == OPEN:
        return redirect(url_for("tasks.show", task_id=task.id))
    if note.case_id is not None:
        return redirect(url_for("cases.show", case_id=note.case_id))
    return redirect(url_for("notifications.index"))


@bp.post("/read")
@login_required
def read_all() -> ResponseReturnValue:
    mark_all_read(db(), user=current_user)
    flash(_("Every notification is marked read."), "info")
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> ResponseReturnValue:
    session = db()
    choices = preferences_of(session, user=current_user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        choices = Choices(
            email=request.form.get("email", "")[:200],
            phone=request.form.get("phone", "")[:40],
            by_email=request.form.get("by_email") == "1",
            by_sms=request.form.get("by_sms") == "1",
        )
        try:
            save_preferences(session, user=current_user, choices=choices)
        except InvalidInput as error:
            discard()
            errors = {field: [_(message) for message in messages] for field, messages in error.errors.items()}
        else:
            flash(_("Your notification choices are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    return render_template("notification_preferences.html", choices=choices, errors=errors), (
        422 if errors else 200
    )
