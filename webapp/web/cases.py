"""Cases: open an application, list the cases of one's area, see one case, download its documents."""

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.domain.cases import CLOSED as CASE_CLOSED
from webapp.domain.cases import OPEN as CASE_OPEN
from webapp.domain.cases import Case
from webapp.domain.messages import N_
from webapp.forms import FormSpec
from webapp.services.applications.intake import INTAKE_ROLE, Applicant, Household, open_application
from webapp.services.casework.access import get_case
from webapp.services.casework.documents import HeldUpload, document_content
from webapp.services.casework.families import decision_facts
from webapp.services.casework.people import PersonDetails, find_by_identity
from webapp.services.casework.person_matches import Match, possible_duplicates
from webapp.services.casework.queries import CASE_LIST, case_list, case_view
from webapp.services.deadlines.due_times import case_clocks, sla_views
from webapp.web.choices import choices_for
from webapp.web.form_actions import attempt
from webapp.web.form_builder import build_form
from webapp.web.held_uploads import all_uploads, held_from_request, hold, relax_held_fields, token_for
from webapp.web.list_pages import (
    Field,
    choice_field,
    commune_field,
    date_fields,
    deadline_field,
    list_page,
    programme_field,
    sort_field,
    step_field,
    text_field,
)
from webapp.web.reference import area_names
from webapp.web.runtime import db, runtime, today

bp = Blueprint("cases", __name__, url_prefix="/cases")
INTAKE_FORM = "application_intake"


CASE_SORTS = {"newest": _l("Newest first"), "oldest": _l("Oldest first"), "reference": _l("Reference")}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    page = list_page(CASE_LIST, "cases.index", _case_fields())
    found = case_list(db(), user=current_user, listing=page.listing, now=utcnow())
    return render_template("cases.html", cases=found.cases, links=found.page, page=page)


def _case_fields() -> list[Field]:
    fields = [
        text_field(_l("Reference or applicant's name")),
        choice_field("status", _l("Status"), {CASE_OPEN: N_("Open"), CASE_CLOSED: N_("Closed")}),
        commune_field(current_user),
        programme_field(),
        step_field(current_user),
        deadline_field(),
        *date_fields(_l("Opened from"), _l("Opened until")),
        sort_field(CASE_SORTS),
    ]
    return [field for field in fields if field is not None]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    if current_user.role != INTAKE_ROLE:
        abort(403)
    session = db()
    spec = runtime().forms[INTAKE_FORM]
    form = build_form(spec, choices=choices_for(session, current_user), today=today())
    held = held_from_request(spec)  # files given before the "same person" question
    relax_held_fields(form, held)
    matches = _possible_duplicates(form) if form.validate_on_submit() else None
    if matches:  # "this may be the same person": the officer chooses a record or confirms a new one
        return _ask_about_duplicates(form, spec, matches, held)
    if matches is not None and (case := attempt(form, lambda: _open(form, held))) is not None:
        flash(
            _("Application %(reference)s opened and sent to the district.", reference=case.reference),
            "success",
        )
        return redirect(url_for("cases.show", case_id=case.id))
    return _intake_page(form, spec, held), 422 if form.errors else 200


def _ask_about_duplicates(form: Any, spec: FormSpec, matches: list[Match], held: list[HeldUpload]) -> Any:
    """The possible duplicates beside the form, the files given so far kept for the answer."""
    limit = runtime().settings.max_upload_bytes
    kept = attempt(form, lambda: hold(db(), spec, form, held, limit))
    if kept is None:  # a file was refused: its error sits beside its field
        return _intake_page(form, spec, held), 422
    return _intake_page(form, spec, kept, matches=matches)


def _intake_page(
    form: Any, spec: FormSpec, held: list[HeldUpload], matches: list[Match] | None = None
) -> str:
    token = token_for(held) if held else ""
    return render_template("intake.html", form=form, spec=spec, matches=matches, held=held, held_token=token)


def _possible_duplicates(form: Any) -> list[Match]:
    """Registered people of the officer's district who may be this applicant, unless the ID number is
    registered already (the intake then reuses that record) or the officer has chosen."""
    if request.form.get("duplicate_choice"):
        return []
    applicant = _applicant(form)
    if find_by_identity(db(), id_kind=applicant.id_kind, id_number=applicant.id_number) is not None:
        return []
    details = PersonDetails(
        name_km=applicant.name_km,
        name_latin=applicant.name_latin,
        sex=applicant.sex,
        date_of_birth=applicant.date_of_birth,
        id_kind=applicant.id_kind,
        id_number=applicant.id_number,
        village_code=applicant.village_code,
    )
    return possible_duplicates(db(), details, scope_code=current_user.scope_code[:4])


def _open(form: Any, held: list[HeldUpload]) -> Case:
    session = db()
    settings = runtime().settings
    applicant = _applicant(form)
    household = Household(
        household_size=form.household_size.data,
        pregnant=bool(form.pregnant.data),
        living_with_hiv=bool(form.living_with_hiv.data),
        enrolled_in_school=bool(form.enrolled_in_school.data),
    )
    uploads = all_uploads(session, runtime().forms[INTAKE_FORM], form, held)
    choice = request.form.get("duplicate_choice", "")
    case = open_application(
        session,
        engine=runtime().process_engine,
        actor=current_user,
        applicant=applicant,
        household=household,
        programme_code=form.programme.data,
        documents=uploads,
        today=today(),
        max_upload_bytes=settings.max_upload_bytes,
        registered_person_id=int(choice) if choice.isdigit() and len(choice) < 10 else None,
    )
    return case


def _applicant(form: Any) -> Applicant:
    return Applicant(
        name_km=form.name_km.data.strip(),
        name_latin=form.name_latin.data.strip(),
        sex=form.sex.data,
        date_of_birth=form.date_of_birth.data,
        id_kind=form.id_kind.data,
        id_number=form.id_number.data.strip(),
        village_code=form.village.data,
        equity_card=form.equity_card.data,
        disability=bool(form.disability.data),
        phone=(form.phone.data or "").strip() or None,
        letter_language=form.letter_language.data or "km",
    )


@bp.get("/<int:case_id>")
@login_required
def show(case_id: int) -> ResponseReturnValue:
    session = db()
    view = case_view(session, case_id=case_id, user=current_user)
    now = utcnow()
    return render_template(
        "case.html",
        view=view,
        areas=area_names(session, view.case.area_code),
        sla=sla_views(session, view.open_tasks, now=now),
        clocks=case_clocks(session, case=view.case, now=now),
    )


@bp.get("/<int:case_id>/print")
@login_required
def print_summary(case_id: int) -> ResponseReturnValue:
    """The case on paper: applicant, programme, steps with their decisions, and letters, for the file."""
    session = db()
    view = case_view(session, case_id=case_id, user=current_user)
    return render_template(
        "case_print.html",
        view=view,
        areas=area_names(session, view.case.area_code),
        facts=decision_facts(session, view.case),
        printed_on=today(),
    )


@bp.get("/<int:case_id>/slip")
@login_required
def slip(case_id: int) -> ResponseReturnValue:
    """The acknowledgement slip the commune assistant hands the applicant: the number, the date and what
    happens next. A grievance has its own slip (grievances.slip)."""
    session = db()
    case = get_case(session, case_id=case_id, user=current_user)
    if case.person is None or case.programme is None:
        abort(404)
    return render_template("case_slip.html", case=case, areas=area_names(session, case.area_code))


@bp.get("/<int:case_id>/documents/<int:document_id>")
@login_required
def document(case_id: int, document_id: int) -> ResponseReturnValue:
    session = db()
    case = get_case(session, case_id=case_id, user=current_user)
    doc, content = document_content(session, document_id=document_id, case=case, viewer=current_user)
    return Response(
        content,
        mimetype=doc.content_type,
        headers={
            "Content-Disposition": f"attachment; filename=document-{doc.id}{_suffix(doc.content_type)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _suffix(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(content_type, "")
