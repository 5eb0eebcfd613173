"""NSSF pages: enterprise applications (at the office and online), member declarations, inspections, the
registries, a case's NSSF facts (cards, appeal) and the progress report. Views stay thin; services decide."""

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.exceptions import NotFound as HttpNotFound
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.domain.base import utcnow
from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.nssf import (
    ACTIVITIES,
    FINDINGS,
    LEGAL_FORMS,
    REGISTRATION_SOURCES,
    SCHEMES,
    EnterpriseStatus,
    Member,
    MemberKind,
    MemberStatus,
)
from webapp.domain.text import SafeCsvWriter, spreadsheet_safe
from webapp.services.casework.access import get_case
from webapp.services.casework.listing import ListSpec
from webapp.services.nssf.cards import card_sheet_pdf, enqueue_card_sheet
from webapp.services.nssf.compliance import NOTICE_DAYS, Finding, appeal_decision, finding_of, record_finding
from webapp.services.nssf.enterprises import (
    EnterpriseApplication,
    apply_at_office,
    apply_online,
    enterprise_of,
)
from webapp.services.nssf.look_alikes import DECISIONS, LookAlike, decide_look_alikes, look_alikes
from webapp.services.nssf.members import (
    COLUMNS,
    ListReport,
    case_members,
    check_list,
    declare_employees,
    register_self_employed,
)
from webapp.services.nssf.places import addresses
from webapp.services.nssf.records import INSPECTORS, OFFICERS, READERS
from webapp.services.nssf.registry_pages import (
    ENTERPRISE_LIST,
    MEMBER_LIST,
    area_choices,
    enterprises_page,
    members_page,
)
from webapp.services.nssf.report import progress_report, report_table
from webapp.web.errors import translated
from webapp.web.form_actions import attach_errors, attempt
from webapp.web.list_pages import Field, ListPage, list_page, text_field
from webapp.web.params import query_int
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("nssf", __name__, url_prefix="/nssf")
MAX_LIST_BYTES = 4 * 1024 * 1024


def _require(roles: tuple[str, ...]) -> None:
    if current_user.role not in roles:
        raise HttpNotFound()


class EnterpriseForm(FlaskForm):
    name_km = StringField(_l("Name in Khmer"), validators=[DataRequired(), Length(max=200)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[DataRequired(), Length(max=200)])
    registration_number = StringField(
        _l("Business registration number, if any"),
        validators=[Optional(), Length(max=40)],
        description=_l("From the Online Business Registration or the district one-window office."),
    )
    legal_form = SelectField(_l("Legal form"), validators=[DataRequired()])
    activity = SelectField(_l("Activity"), validators=[DataRequired()])
    area = StringField(
        _l("Commune or village"),
        validators=[DataRequired(), Length(max=8)],
        description=_l("Type a name or a code, then choose from the list."),
    )
    employee_count = IntegerField(_l("Number of employees"), validators=[NumberRange(min=0, max=1_000_000)])
    annual_revenue_usd = IntegerField(
        _l("Revenue last year (US dollars)"), validators=[Optional(), NumberRange(min=0, max=10**10)]
    )
    contact_name = StringField(_l("Representative"), validators=[DataRequired(), Length(max=120)])
    contact_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])


class OfficeEnterpriseForm(EnterpriseForm):
    channel = SelectField(
        _l("Received"),
        choices=[("counter", _l("At an NSSF counter")), ("mobile_unit", _l("Through a mobile unit"))],
    )


def _fill(form: EnterpriseForm) -> None:
    form.legal_form.choices = [(key, _(label)) for key, label in LEGAL_FORMS.items()]
    form.activity.choices = [(key, _(label)) for key, label in ACTIVITIES.items()]


def _application(form: EnterpriseForm, channel: str) -> EnterpriseApplication:
    return EnterpriseApplication(
        name_km=form.name_km.data or "",
        name_latin=form.name_latin.data or "",
        legal_form=form.legal_form.data or "",
        activity=form.activity.data or "",
        area_code=form.area.data or "",
        employee_count=form.employee_count.data or 0,
        annual_revenue_usd=form.annual_revenue_usd.data,
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        registration_number=form.registration_number.data or "",
        channel=channel,
    )


ENTERPRISE_STATUS_LABELS = {
    EnterpriseStatus.APPLIED: _l("Applied"),
    EnterpriseStatus.REGISTERED: _l("Registered"),
    EnterpriseStatus.REJECTED: _l("Rejected"),
    EnterpriseStatus.UNREGISTERED: _l("Not registered"),
}
MEMBER_STATUS_LABELS = {
    MemberStatus.DECLARED: _l("Declared"),
    MemberStatus.REGISTERED: _l("Registered"),
    MemberStatus.REJECTED: _l("Rejected"),
}
MEMBER_KIND_LABELS = {MemberKind.EMPLOYEE: _l("Employee"), MemberKind.SELF_EMPLOYED: _l("Self-employed")}


def _area_field() -> Field | None:
    """Provinces and districts of the reader's area; none for a reader of one district."""
    if len(current_user.scope_code) >= 4:
        return None
    khmer = str(get_locale()) == "km"
    choices = area_choices(db(), user=current_user)
    options = [(code, km if khmer else latin) for code, km, latin in choices]
    return Field("area", _l("Province or district"), options=options)


def _registry_page(spec: ListSpec, endpoint: str, fields: list[Field | None]) -> ListPage:
    _require(READERS)
    return list_page(spec, endpoint, [f for f in fields if f is not None])


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The enterprises of the reader's area, a page at a time."""
    page = _registry_page(
        ENTERPRISE_LIST,
        "nssf.index",
        [
            text_field(_l("Name, employer or registration number")),
            _area_field(),
            Field(
                "source", _l("Registered with"), options=[(k, _(v)) for k, v in REGISTRATION_SOURCES.items()]
            ),
            Field("status", _l("Status"), options=[(k, str(v)) for k, v in ENTERPRISE_STATUS_LABELS.items()]),
        ],
    )
    session = db()
    found = enterprises_page(session, user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "nssf_index.html",
        enterprises=found.rows,
        links=found,
        page=page,
        addresses=addresses(session, [e.area_code for e in found.rows]),
        sources=REGISTRATION_SOURCES,
        statuses=ENTERPRISE_STATUS_LABELS,
        officers=OFFICERS,
        inspectors=INSPECTORS,
    )


@bp.get("/members")
@login_required
def member_list() -> ResponseReturnValue:
    """Members (employees and self-employed workers) of the reader's area, a page at a time."""
    page = _registry_page(
        MEMBER_LIST,
        "nssf.member_list",
        [
            text_field(_l("Name, national ID or member number")),
            _area_field(),
            Field("enterprise", _l("Employer"), "text", hint=_l("Employer number or name")),
            Field("scheme", _l("Scheme"), options=[(k, _(v)) for k, v in SCHEMES.items()]),
            Field("kind", _l("Kind of member"), options=[(k, str(v)) for k, v in MEMBER_KIND_LABELS.items()]),
            Field("status", _l("Status"), options=[(k, str(v)) for k, v in MEMBER_STATUS_LABELS.items()]),
        ],
    )
    session = db()
    found = members_page(session, user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "nssf_member_list.html",
        members=found.rows,
        links=found,
        page=page,
        addresses=addresses(session, [m.area_code for m in found.rows]),
        statuses=MEMBER_STATUS_LABELS,
        officers=OFFICERS,
        inspectors=INSPECTORS,
    )


@bp.route("/enterprises/new", methods=["GET", "POST"])
@login_required
def enterprise_new() -> ResponseReturnValue:
    _require(OFFICERS)
    form = OfficeEnterpriseForm()
    _fill(form)
    if form.validate_on_submit():
        case = attempt(
            form,
            lambda: apply_at_office(
                db(),
                engine=runtime().process_engine,
                actor=current_user,
                application=_application(form, form.channel.data or ""),
                today=today(),
            ),
        )
        if case is not None:
            flash(_("Application %(number)s recorded.", number=case.reference), "success")
            return redirect(url_for("nssf.case", case_id=case.id))
    return render_template("nssf_enterprise.html", form=form, public=False), 422 if form.errors else 200


@bp.route("/apply", methods=["GET", "POST"])
def public_apply() -> ResponseReturnValue:
    """Public, no account: CSRF still applies, and the service limits applications per address."""
    form = EnterpriseForm()
    _fill(form)
    if form.validate_on_submit():
        try:
            case = apply_online(
                db(),
                engine=runtime().process_engine,
                application=_application(form, "online"),
                client=request.remote_addr or "unknown",
                today=today(),
            )
        except InvalidInput as error:
            discard()
            attach_errors(form, error)
        except DomainError as error:
            discard()
            flash(translated(error), "error")
            return render_template("nssf_enterprise.html", form=form, public=True), 429
        else:
            return render_template("nssf_applied.html", reference=case.reference)
    return render_template("nssf_enterprise.html", form=form, public=True), 422 if form.errors else 200


class MemberListForm(FlaskForm):
    employer_number = StringField(_l("Employer number"), validators=[DataRequired(), Length(max=40)])
    upload = FileField(_l("List of employees (CSV)"))
    content = HiddenField()


@bp.route("/members/new", methods=["GET", "POST"])
@login_required
def members_new() -> ResponseReturnValue:
    """Step one checks the list and shows every bad row; step two (confirm) imports the good rows."""
    _require(OFFICERS)
    form, report, session, candidates = MemberListForm(), None, db(), []
    if form.validate_on_submit():
        text = _list_text(form)
        if text is None:
            form.upload.errors = [_("Choose a CSV file of at most 4 MB, saved as UTF-8.")]
        else:
            form.content.data = text
            report = attempt(form, lambda: check_list(session, text=text, actor=current_user))
            candidates = _look_alikes(report)
            if report is not None and request.form.get("confirm") == "1":
                case = attempt(
                    form,
                    lambda: declare_employees(
                        session,
                        engine=runtime().process_engine,
                        actor=current_user,
                        employer_number=to_ascii_digits(form.employer_number.data or ""),
                        report=report,
                        today=today(),
                    ),
                )
                if case is not None:
                    flash(_("%(count)s members declared.", count=len(report.good)), "success")
                    return redirect(url_for("nssf.case", case_id=case.id))
    status = 422 if form.errors else 200
    page = render_template(
        "nssf_members.html", form=form, report=report, columns=_columns(), look_alikes=candidates
    )
    return page, status


def _look_alikes(report: ListReport | None) -> list[LookAlike]:
    """The flagged rows of a checked list with the registered person each may be; on the confirming post,
    the officer's choice for each (link to that person, or a new person) is applied first."""
    if report is None:
        return []
    decisions: dict[int, str] = {}
    for name, value in request.form.items():
        line = name.removeprefix("look_alike-")
        if line != name and line.isascii() and line.isdigit() and len(line) <= 6 and value in DECISIONS:
            decisions[int(line)] = value
    if request.form.get("confirm") != "1":
        return look_alikes(db(), report=report, actor=current_user)
    return decide_look_alikes(db(), report=report, actor=current_user, decisions=decisions)


def _list_text(form: MemberListForm) -> str | None:
    upload = form.upload.data
    if upload is not None and bool(getattr(upload, "filename", None)):
        raw = upload.read(MAX_LIST_BYTES + 1)
        if len(raw) > MAX_LIST_BYTES:
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return form.content.data or None


def _columns() -> str:
    return ",".join(COLUMNS)


class WorkerForm(FlaskForm):
    national_id = StringField(_l("National ID number"), validators=[DataRequired(), Length(max=12)])
    name_km = StringField(_l("Name in Khmer"), validators=[DataRequired(), Length(max=120)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[DataRequired(), Length(max=120)])
    sex = SelectField(_l("Sex"), choices=[("female", _l("Female")), ("male", _l("Male"))])
    date_of_birth = StringField(_l("Date of birth"), validators=[DataRequired(), Length(max=10)])
    village = StringField(
        _l("Village"),
        validators=[DataRequired(), Length(max=8)],
        description=_l("Type a name or a code, then choose from the list."),
    )


@bp.route("/members/self-employed", methods=["GET", "POST"])
@login_required
def self_employed() -> ResponseReturnValue:
    _require(OFFICERS)
    form, session = WorkerForm(), db()
    if form.validate_on_submit():
        row = [form.national_id.data, form.name_km.data, form.name_latin.data, form.sex.data]
        row += [form.date_of_birth.data, form.village.data, "", "voluntary_health"]
        out = io.StringIO()
        writer = SafeCsvWriter(out)
        writer.writerow(_columns().split(","))
        writer.writerow(row)
        report = attempt(
            form, lambda: check_list(session, text=out.getvalue(), actor=current_user, kind="self_employed")
        )
        if report is not None:
            for message in [m for r in report.rows for m in (*r.errors, r.duplicate) if m]:
                form.national_id.errors = [*form.national_id.errors, _(message)]
            case = (
                attempt(
                    form,
                    lambda: register_self_employed(
                        session,
                        engine=runtime().process_engine,
                        actor=current_user,
                        report=report,
                        today=today(),
                    ),
                )
                if not form.national_id.errors
                else None
            )
            if case is not None:
                flash(_("Registration %(number)s recorded.", number=case.reference), "success")
                return redirect(url_for("nssf.case", case_id=case.id))
    return render_template("nssf_self_employed.html", form=form), 422 if form.errors else 200


class InspectionForm(FlaskForm):
    finding = SelectField(_l("What was found"), validators=[DataRequired()])
    employer_number = StringField(
        _l("Employer number, if registered"),
        validators=[Optional(), Length(max=40)],
        description=_l("Leave empty for an enterprise NSSF does not know yet, and give its name and place."),
    )
    name_km = StringField(_l("Name in Khmer"), validators=[Optional(), Length(max=200)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[Optional(), Length(max=200)])
    area = StringField(_l("Commune or village"), validators=[Optional(), Length(max=8)])
    workers_found = IntegerField(
        _l("Workers found"), validators=[Optional(), NumberRange(min=0, max=1_000_000)]
    )
    notice_days = SelectField(_l("Deadline of the notice (NSSF working days)"), validators=[DataRequired()])
    details = TextAreaField(_l("Details"), validators=[Optional(), Length(max=2000)])


@bp.route("/inspections/new", methods=["GET", "POST"])
@login_required
def inspection_new() -> ResponseReturnValue:
    _require(INSPECTORS)
    form = InspectionForm()
    form.finding.choices = [(key, _(label)) for key, label in FINDINGS.items()]
    form.notice_days.choices = [(str(days), str(days)) for days in NOTICE_DAYS]
    if form.validate_on_submit():
        finding = Finding(
            finding=form.finding.data or "",
            details=form.details.data or "",
            notice_days=int(form.notice_days.data or 0),
            employer_number=to_ascii_digits(form.employer_number.data or ""),
            name_km=form.name_km.data or "",
            name_latin=form.name_latin.data or "",
            area_code=form.area.data or "",
            workers_found=form.workers_found.data,
        )
        case = attempt(
            form,
            lambda: record_finding(
                db(), engine=runtime().process_engine, actor=current_user, finding=finding, today=today()
            ),
        )
        if case is not None:
            flash(
                _("Inspection %(number)s recorded; the notice is being issued.", number=case.reference),
                "success",
            )
            return redirect(url_for("nssf.case", case_id=case.id))
    return render_template("nssf_inspection.html", form=form), 422 if form.errors else 200


class AppealForm(FlaskForm):
    grounds = TextAreaField(_l("Grounds of the appeal"), validators=[DataRequired(), Length(max=2000)])


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int) -> ResponseReturnValue:
    _require(READERS)
    session = db()
    found = get_case(session, case_id=case_id, user=current_user)
    members: list[Member] = case_members(session, found)[:200]
    enterprise, finding = enterprise_of(session, found), finding_of(session, found)
    places = [member.area_code for member in members]
    places += [e.area_code for e in (enterprise, finding.enterprise if finding else None) if e is not None]
    return render_template(
        "nssf_case.html",
        case=found,
        enterprise=enterprise,
        finding=finding,
        members=members,
        addresses=addresses(session, places),
        schemes=SCHEMES,
        findings=FINDINGS,
        appeal=AppealForm(),
    )


@bp.post("/cases/<int:case_id>/cards")
@login_required
def cards(case_id: int) -> ResponseReturnValue:
    _require(READERS)
    session = db()
    job = enqueue_card_sheet(
        session, case=get_case(session, case_id=case_id, user=current_user), actor=current_user
    )
    flash(_("The cards are being laid out; the sheet appears below in a moment."), "info")
    return redirect(url_for("nssf.case", case_id=case_id, sheet=job.id))


@bp.get("/sheets/<int:job_id>.pdf")
@login_required
def sheet(job_id: int) -> ResponseReturnValue:
    _require(READERS)
    pdf = card_sheet_pdf(db(), job_id=job_id, user=current_user)
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": "inline; filename=cards.pdf"}
    )


@bp.post("/cases/<int:case_id>/appeal")
@login_required
def appeal(case_id: int) -> ResponseReturnValue:
    _require(READERS)
    session = db()
    found = get_case(session, case_id=case_id, user=current_user)
    form = AppealForm()
    if not form.validate_on_submit():
        flash(_("Give the grounds of the appeal (at most 2,000 characters)."), "error")
    elif (
        attempt(
            form,
            lambda: appeal_decision(session, case=found, actor=current_user, grounds=form.grounds.data or ""),
        )
        is None
    ):
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    else:
        flash(_("The appeal was sent to the social security grievance process."), "success")
    return redirect(url_for("nssf.case", case_id=case_id))


@bp.get("/report")
@login_required
def report() -> ResponseReturnValue:
    _require(READERS)
    year = query_int(request.args.get("year"), default=0, largest=9999)
    year = year if 2020 <= year <= 2100 else today().year
    data = progress_report(db(), user=current_user, year=year, now=utcnow())
    export = request.args.get("format")
    if export == "csv":
        out = io.StringIO()
        SafeCsvWriter(out).writerows(report_table(data))
        return Response(
            out.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="nssf-progress-{year}.csv"'},
        )
    if export == "xlsx":
        return Response(
            _xlsx(report_table(data)),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="nssf-progress-{year}.xlsx"'},
        )
    peak = max([m for _p, _e, m in data.by_month()] + [e for _p, e, _m in data.by_month()] + [1])
    return render_template("nssf_report.html", report=data, year=year, peak=peak)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "NSSF progress"
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
