"""Grievance pages: officers record and read grievances; anyone may file one and check its status."""

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.exceptions import NotFound as HttpNotFound
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.domain.base import utcnow
from webapp.domain.errors import DomainError, InvalidInput, NotFound
from webapp.domain.grievances import CATEGORIES, CHANNELS, DECISIONS, MAX_DESCRIPTION, STATUSES, Grievance
from webapp.domain.messages import N_
from webapp.domain.text import SafeCsvWriter
from webapp.services.casework.access import get_case
from webapp.services.casework.documents import Upload
from webapp.services.grievances.confidentiality import Complainant, complainant_for, get_grievance
from webapp.services.grievances.intake import (
    INTAKE,
    GrievanceIntake,
    Recorded,
    appeal_grievance,
    public_status,
    record_grievance,
    submit_public_grievance,
)
from webapp.services.grievances.listing import GRIEVANCE_LIST, grievance_export, grievance_page
from webapp.web.errors import translated
from webapp.web.form_actions import attach_errors, attempt
from webapp.web.list_pages import (
    Field,
    choice_field,
    commune_field,
    date_fields,
    deadline_field,
    list_page,
    sort_field,
    text_field,
)
from webapp.web.reference import area_names
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("grievances", __name__)
SLIP_KEY = "grievance_slip"  # the just-recorded grievance's code, until its slip is first printed


class GrievanceForm(FlaskForm):
    category = SelectField(_l("Category"), validators=[DataRequired()])
    area = StringField(
        _l("Village or commune"),
        validators=[DataRequired(), Length(max=8)],
        description=_l("Type a name or a code, then choose from the list."),
    )
    anonymous = BooleanField(_l("The person wants to stay anonymous"))
    complainant_name = StringField(_l("Name of the person"), validators=[Optional(), Length(max=120)])
    contact = StringField(_l("Phone or address"), validators=[Optional(), Length(max=120)])
    confidential = BooleanField(_l("Keep the person's identity confidential"))
    related_reference = StringField(_l("Application number, if any"), validators=[Optional(), Length(max=40)])
    description = TextAreaField(
        _l("What is the grievance about?"), validators=[DataRequired(), Length(max=MAX_DESCRIPTION)]
    )


class OfficerGrievanceForm(GrievanceForm):
    attachment = FileField(_l("Attachment (PDF, JPEG or PNG)"))


class StatusForm(FlaskForm):
    reference = StringField(_l("Grievance number"), validators=[DataRequired(), Length(max=40)])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])


@bp.route("/grievances/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    if current_user.role not in INTAKE:
        raise HttpNotFound()
    session = db()
    form = OfficerGrievanceForm()
    _fill_choices(form)
    if form.validate_on_submit():
        recorded = attempt(
            form,
            lambda: record_grievance(
                session,
                engine=runtime().process_engine,
                actor=current_user,
                intake=_intake(form, uploads=_uploads(form)),
                today=today(),
                max_upload_bytes=runtime().settings.max_upload_bytes,
            ),
        )
        if recorded is not None:
            return _recorded(recorded, "grievances.show")
    return render_template("grievance_new.html", form=form), 422 if form.errors else 200


GRIEVANCE_SORTS = {"newest": _l("Newest first"), "oldest": _l("Oldest first")}
LEVELS = {"1": N_("Level 1"), "2": N_("Level 2")}


@bp.get("/grievances/")
@login_required
def index() -> ResponseReturnValue:
    page = list_page(GRIEVANCE_LIST, "grievances.index", _grievance_fields())
    if request.args.get("format") == "csv":
        rows = grievance_export(db(), user=current_user, now=utcnow(), listing=page.listing)
        return Response(
            grievances_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="grievances.csv"'},
        )
    found = grievance_page(db(), user=current_user, now=utcnow(), listing=page.listing)
    labels = {"status": STATUSES, "category": CATEGORIES}
    return render_template("grievances.html", rows=found.rows, links=found, labels=labels, page=page)


def _grievance_fields() -> list[Field]:
    fields = [
        text_field(_l("Grievance number")),
        choice_field("status", _l("Status"), STATUSES),
        choice_field("category", _l("Category"), CATEGORIES),
        choice_field("level", _l("Level"), LEVELS),
        commune_field(current_user),
        deadline_field(),
        *date_fields(_l("Received from"), _l("Received until")),
        sort_field(GRIEVANCE_SORTS),
    ]
    return [field for field in fields if field is not None]


def grievances_csv(rows: list[tuple[Grievance, Complainant]]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(
        ["reference", "received_at", "category", "channel", "level", "status", "decision", "complainant"]
    )
    for grievance, person in rows:
        shown = _(person.hidden) if person.hidden else person.name or ""
        writer.writerow(
            [
                grievance.reference,
                grievance.received_at.isoformat(timespec="minutes"),
                grievance.category,
                grievance.channel,
                grievance.level,
                grievance.status,
                grievance.decision or "",
                shown,
            ]
        )
    return out.getvalue()


@bp.get("/grievances/<int:grievance_id>")
@login_required
def show(grievance_id: int) -> ResponseReturnValue:
    session = db()
    grievance = get_grievance(session, grievance_id=grievance_id, user=current_user)
    return render_template(
        "grievance.html",
        grievance=grievance,
        complainant=complainant_for(session, grievance=grievance, viewer=current_user),
        areas=area_names(session, grievance.area_code),
        labels={"channel": CHANNELS, "category": CATEGORIES, "status": STATUSES, "decision": DECISIONS},
        may_appeal=current_user.role in INTAKE,
    )


@bp.get("/grievances/<int:grievance_id>/slip")
@login_required
def slip(grievance_id: int) -> ResponseReturnValue:
    """The acknowledgement slip the officer prints and hands over. The status code is on it only the first
    time it is opened after recording (it is not stored: only its hash is), never again."""
    session = db()
    grievance = get_grievance(session, grievance_id=grievance_id, user=current_user)
    just_recorded = flask_session.pop(SLIP_KEY, None) or {}
    code = just_recorded.get("code") if just_recorded.get("grievance") == grievance.id else None
    return render_template(
        "grievance_slip.html",
        grievance=grievance,
        code=code,
        areas=area_names(session, grievance.area_code),
        labels={"category": CATEGORIES, "channel": CHANNELS},
        status_url=url_for("grievances.public_status_page", _external=True),
    )


@bp.post("/grievances/<int:grievance_id>/appeal")
@login_required
def appeal(grievance_id: int) -> ResponseReturnValue:
    session = db()
    original = get_grievance(session, grievance_id=grievance_id, user=current_user)
    if current_user.role not in INTAKE:
        raise HttpNotFound()
    try:
        recorded = appeal_grievance(
            session,
            engine=runtime().process_engine,
            original=original,
            actor=current_user,
            today=today(),
            max_upload_bytes=runtime().settings.max_upload_bytes,
        )
    except DomainError as error:
        discard()
        flash(translated(error), "error")
        return redirect(url_for("grievances.show", grievance_id=grievance_id))
    return _recorded(recorded, "grievances.show")


@bp.get("/grievances/case/<int:case_id>")
@login_required
def of_case(case_id: int) -> ResponseReturnValue:
    """From a grievance's case (inbox, tasks) to the grievance page, with the same area check."""
    case = get_case(db(), case_id=case_id, user=current_user)
    grievance = db().scalar(select(Grievance).where(Grievance.case_id == case.id))
    if grievance is None:
        raise HttpNotFound()
    return redirect(url_for("grievances.show", grievance_id=grievance.id))


@bp.route("/grievance", methods=["GET", "POST"])
def public_form() -> ResponseReturnValue:
    """Public, no account: CSRF still applies, and the service limits submissions per address."""
    session = db()
    form = GrievanceForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            recorded = submit_public_grievance(
                session,
                engine=runtime().process_engine,
                intake=_intake(form, uploads=[]),
                client=request.remote_addr or "unknown",
                today=today(),
            )
        except InvalidInput as error:
            discard()
            attach_errors(form, error)
        except DomainError as error:
            discard()
            flash(translated(error), "error")
            return render_template("public_grievance.html", form=form), 429
        else:
            return render_template("public_grievance_done.html", recorded=recorded)
    return render_template("public_grievance.html", form=form), 422 if form.errors else 200


@bp.route("/grievance/status", methods=["GET", "POST"])
def public_status_page() -> ResponseReturnValue:
    form, status = StatusForm(), None
    if form.validate_on_submit():
        try:
            status = public_status(db(), reference=form.reference.data, code=form.code.data)
        except NotFound as error:
            form.code.errors = [translated(error)]
    code = 422 if form.errors else 200
    return render_template("public_status.html", form=form, status=status, decisions=DECISIONS), code


def _recorded(recorded: Recorded, endpoint: str) -> ResponseReturnValue:
    message = _(
        "Grievance %(reference)s recorded. Its status code, printed on the acknowledgement: %(code)s",
        reference=recorded.grievance.reference,
        code=recorded.status_code,
    )
    flash(message, "success")
    flask_session[SLIP_KEY] = {"grievance": recorded.grievance.id, "code": recorded.status_code}
    return redirect(url_for(endpoint, grievance_id=recorded.grievance.id))


def _intake(form: GrievanceForm, *, uploads: list[Upload]) -> GrievanceIntake:
    return GrievanceIntake(
        category=form.category.data or "",
        description=form.description.data or "",
        area_code=form.area.data or "",
        anonymous=bool(form.anonymous.data),
        complainant_name=form.complainant_name.data or "",
        contact=form.contact.data or "",
        confidential=bool(form.confidential.data),
        related_reference=form.related_reference.data or "",
        attachments=uploads,
    )


def _uploads(form: OfficerGrievanceForm) -> list[Upload]:
    file = form.attachment.data
    if not file or not getattr(file, "filename", ""):
        return []
    return [Upload(field="attachment", kind="other", filename=file.filename, content=file.read())]


def _fill_choices(form: GrievanceForm) -> None:
    """The categories; the area is a type-ahead (/areas/search) and the service checks the chosen code."""
    form.category.choices = [("", "—"), *((key, _(label)) for key, label in CATEGORIES.items())]
