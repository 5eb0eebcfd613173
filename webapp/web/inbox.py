"""The officer's inbox: my tasks, tasks to claim (several at once), and for supervisors every open task of
their area; the saved views of every list are kept and deleted here too."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.domain.messages import N_
from webapp.services.casework.bulk import claim_tasks
from webapp.services.casework.listing import ListSpec
from webapp.services.casework.queries import CASE_LIST, INBOX_LIST, inbox
from webapp.services.correspondence.letter_list import LETTER_LIST
from webapp.services.deadlines.due_times import sla_views
from webapp.services.deadlines.supervision import WATCH_LIST
from webapp.services.grievances.listing import GRIEVANCE_LIST
from webapp.web.list_pages import bulk, delete_saved_view, list_page, save_current_view, task_fields
from webapp.web.runtime import db

bp = Blueprint("inbox", __name__)
# Every list that keeps saved views: its name in the saved_view table -> its spec and page.
LISTS: dict[str, tuple[ListSpec, str]] = {
    INBOX_LIST.name: (INBOX_LIST, "inbox.index"),
    CASE_LIST.name: (CASE_LIST, "cases.index"),
    GRIEVANCE_LIST.name: (GRIEVANCE_LIST, "grievances.index"),
    LETTER_LIST.name: (LETTER_LIST, "letters.index"),
    WATCH_LIST.name: (WATCH_LIST, "sla.watch"),
}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    now, session = utcnow(), db()
    page = list_page(INBOX_LIST, "inbox.index", task_fields())
    found = inbox(session, user=current_user, now=now, listing=page.listing)
    views = sla_views(session, [*found.mine, *found.available, *found.supervised], now=now)
    return render_template("inbox.html", inbox=found, now=now, sla=views, page=page)


@bp.post("/inbox/claim")
@login_required
def claim_selected() -> ResponseReturnValue:
    """Claims the ticked tasks one by one through the same checks as one claim."""
    return bulk(
        INBOX_LIST,
        "inbox.index",
        "task_id",
        lambda ids: claim_tasks(db(), task_ids=ids, actor=current_user),
        N_("%(count)s claimed"),
    )


@bp.post("/views")
@login_required
def save_view() -> ResponseReturnValue:
    return save_current_view(LISTS)


@bp.post("/views/<int:view_id>/delete")
@login_required
def delete_view(view_id: int) -> ResponseReturnValue:
    return delete_saved_view(LISTS, view_id)
