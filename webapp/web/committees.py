"""Committee pages: the secretary schedules meetings and records the decisions on the agenda's grievances."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound as HttpNotFound

from webapp.domain.base import utcnow
from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.grievances import CATEGORIES, COMMITTEES, DECISIONS, HELD, SCHEDULED
from webapp.domain.messages import N_
from webapp.services.grievances.committees import (
    COMMITTEE_OF_ROLE,
    MEETING_LIST,
    agenda,
    get_meeting,
    meeting_page,
    next_meeting_date,
    record_decision,
    schedule_meeting,
)
from webapp.services.grievances.confidentiality import complainant_for
from webapp.web.errors import translated
from webapp.web.list_pages import Field, choice_field, date_fields, list_page, sort_field
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("committees", __name__, url_prefix="/committee")


@bp.before_request
@login_required
def secretaries_only() -> None:
    if current_user.role not in COMMITTEE_OF_ROLE:
        raise HttpNotFound()


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    session, day = db(), today()
    errors: list[str] = []
    if request.method == "POST":
        try:
            meets_on = date.fromisoformat(request.form.get("meets_on", ""))
            meeting = schedule_meeting(session, actor=current_user, meets_on=meets_on, today=day)
        except ValueError:
            errors = [_("Give the meeting's date.")]
        except InvalidInput as error:
            discard()
            errors = [_(message) for messages in error.errors.values() for message in messages]
        else:
            return redirect(url_for("committees.show", meeting_id=meeting.id))
    page = list_page(MEETING_LIST, "committees.index", _meeting_fields())
    found = meeting_page(session, user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "committee.html",
        meetings=found.rows,
        links=found,
        page=page,
        proposed=next_meeting_date(session, user=current_user, today=day),
        committee=COMMITTEES[COMMITTEE_OF_ROLE[current_user.role]],
        errors=errors,
    ), 422 if errors else 200


def _meeting_fields() -> list[Field]:
    statuses = {SCHEDULED: N_("Scheduled"), HELD: N_("Held")}
    sorts = {"newest": _l("Newest first"), "oldest": _l("Oldest first")}
    fields = [choice_field("status", _l("Status"), statuses), *date_fields(), sort_field(sorts)]
    return fields


@bp.get("/<int:meeting_id>")
def show(meeting_id: int) -> ResponseReturnValue:
    session = db()
    meeting = get_meeting(session, meeting_id=meeting_id, user=current_user)
    items = agenda(session, meeting=meeting)
    people = {
        item.grievance.id: complainant_for(session, grievance=item.grievance, viewer=current_user)
        for item in items
    }
    return render_template(
        "meeting.html",
        meeting=meeting,
        items=items,
        people=people,
        committee=COMMITTEES[meeting.committee],
        decisions=DECISIONS,
        categories=CATEGORIES,
    )


@bp.post("/<int:meeting_id>/grievances/<int:grievance_id>")
def decide(meeting_id: int, grievance_id: int) -> ResponseReturnValue:
    session = db()
    meeting = get_meeting(session, meeting_id=meeting_id, user=current_user)
    try:
        record_decision(
            session,
            engine=runtime().process_engine,
            meeting=meeting,
            grievance_id=grievance_id,
            decision=request.form.get("decision", ""),
            reason=request.form.get("reason", ""),
            actor=current_user,
        )
    except InvalidInput as error:
        discard()
        for messages in error.errors.values():
            for message in messages:
                flash(_(message), "error")
    except DomainError as error:
        discard()
        flash(translated(error), "error")
    else:
        flash(_("Decision recorded; the decision letter was issued."), "success")
    return redirect(url_for("committees.show", meeting_id=meeting_id))
