"""SSDM registration pages: a VDC member refers a household, a commune assistant registers one."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as HttpNotFound
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.registry import EQUITY_CARDS, ID_KINDS, RELATIONSHIPS, SEXES, Relationship
from webapp.services.casework.people import PersonDetails
from webapp.services.casework.person_matches import Match
from webapp.services.casework.queries import villages_for
from webapp.services.registry.lists import REFERRAL_LIST, referral_page, waiting_referral
from webapp.services.registry.registration import (
    REFERRAL_ROLE,
    REGISTER_ROLE,
    DuplicatesFound,
    MemberEntry,
    Referral,
    refer_household,
    referral_facts,
    register_household,
)
from webapp.web.errors import translated
from webapp.web.form_actions import attach_errors
from webapp.web.form_builder import SalaDateField
from webapp.web.labels import EQUITY_CARD_LABELS, ID_KIND_LABELS, SEX_LABELS
from webapp.web.list_pages import Field, ListPage, list_page, sort_field, text_field
from webapp.web.params import query_id
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("registry_pages", __name__, url_prefix="/registry")
MEMBER_ROWS = 8  # the head and seven members; a larger household is completed from the person pages


class MemberForm(Form):
    name_km = StringField(_l("Name in Khmer"), validators=[Optional(), Length(max=120)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[Optional(), Length(max=120)])
    sex = SelectField(_l("Sex"), choices=[("", "")], validators=[Optional()])
    date_of_birth = SalaDateField(_l("Date of birth"), validators=[Optional()])
    id_kind = SelectField(_l("Kind of ID"), choices=[("", "")], validators=[Optional()])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=40)])
    relationship = SelectField(_l("Relationship to the head"), choices=[("", "")], validators=[Optional()])
    occupation = StringField(_l("Occupation"), validators=[Optional(), Length(max=80)])
    disability = BooleanField(_l("Disability"))


class RegisterForm(FlaskForm):
    village = SelectField(_l("Village"), validators=[DataRequired()])
    family_book_number = StringField(_l("Family book number"), validators=[Optional(), Length(max=40)])
    equity_card = SelectField(_l("Equity card"), validators=[DataRequired()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    members = FieldList(FormField(MemberForm), min_entries=MEMBER_ROWS, max_entries=MEMBER_ROWS)
    note = TextAreaField(_l("Note for the district"), validators=[Optional(), Length(max=2000)])
    duplicates_checked = BooleanField(_l("I checked these people: they are not members of this household"))


class ReferForm(FlaskForm):
    head_name_km = StringField(_l("Head of household (Khmer)"), validators=[DataRequired(), Length(max=120)])
    head_name_latin = StringField(
        _l("Head of household (Latin letters)"), validators=[DataRequired(), Length(max=120)]
    )
    village = SelectField(_l("Village"), validators=[DataRequired()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=20)])
    referral_reason = TextAreaField(
        _l("Why the household needs support"), validators=[DataRequired(), Length(max=2000)]
    )


@bp.route("/refer", methods=["GET", "POST"])
@login_required
def refer() -> ResponseReturnValue:
    if current_user.role != REFERRAL_ROLE:
        raise HttpNotFound()
    session = db()
    form = ReferForm()
    form.village.choices = _villages()
    if form.validate_on_submit():
        referral = Referral(
            head_name_km=form.head_name_km.data or "",
            head_name_latin=form.head_name_latin.data or "",
            village_code=form.village.data or "",
            reason=form.referral_reason.data or "",
            phone=form.phone.data or "",
        )
        try:
            case = refer_household(
                session, engine=runtime().process_engine, actor=current_user, referral=referral, today=today()
            )
        except InvalidInput as error:
            discard()
            attach_errors(form, error)
        else:
            flash(
                _("Referral %(reference)s sent to the commune assistant.", reference=case.reference),
                "success",
            )
            return redirect(url_for("registry_pages.refer"))
    return render_template("registry_refer.html", form=form), 422 if form.errors else 200


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register() -> ResponseReturnValue:
    if current_user.role != REGISTER_ROLE:
        raise HttpNotFound()
    session = db()
    form = RegisterForm()
    _fill_choices(form)
    referral_id = query_id(request.args.get("referral"))
    referral = _referral(referral_id)
    if request.method == "GET" and referral:
        _prefill(form, referral)
    duplicates: dict[int, list[Match]] = {}
    if form.validate_on_submit() and _rows_complete(form):
        case, duplicates = _submit_registration(form, referral_id if referral else None)
        if case is not None:
            flash(
                _(
                    "Household registered; registration %(reference)s sent to the district.",
                    reference=case.reference,
                ),
                "success",
            )
            return redirect(url_for("cases.show", case_id=case.id))
    referrals = _referral_list()
    waiting = referral_page(session, user=current_user, listing=referrals.listing, now=utcnow())
    return render_template(
        "registry_register.html",
        form=form,
        referral=referral,
        referral_id=referral_id,
        waiting=waiting.rows,
        referrals=referrals,
        referral_links=waiting,
        duplicates=duplicates,
    ), 422 if form.errors else 200


def _referral_list() -> ListPage:
    fields = [
        text_field(_l("Reference")),
        Field("village", _l("Village"), options=_villages()),
        sort_field({"oldest": _l("Oldest first"), "newest": _l("Newest first")}),
    ]
    return list_page(REFERRAL_LIST, "registry_pages.register", fields)


def _submit_registration(
    form: RegisterForm, referral_task_id: int | None
) -> tuple[Case | None, dict[int, list[Match]]]:
    """Registers the household on the form: the new case, else None with the possible duplicates to show
    (the refusal is flashed or attached to the form, and what the service flushed is discarded)."""
    try:
        case = register_household(
            db(),
            engine=runtime().process_engine,
            actor=current_user,
            members=_members(form),
            today=today(),
            referral_task_id=referral_task_id,
            note=form.note.data or "",
            duplicates_checked=bool(form.duplicates_checked.data),
        )
    except DuplicatesFound as found:
        discard()
        flash(translated(found), "warning")
        return None, found.matches
    except InvalidInput as error:
        discard()
        _attach(form, error)
    except DomainError as error:
        discard()
        flash(translated(error), "error")
    else:
        return case, {}
    return None, {}


def _villages() -> list[tuple[str, str]]:
    locale = str(get_locale())
    return [(v.code, v.name(locale)) for v in villages_for(db(), user=current_user)]


def _fill_choices(form: RegisterForm) -> None:
    form.village.choices = _villages()
    form.equity_card.choices = [(code, str(EQUITY_CARD_LABELS[code])) for code in EQUITY_CARDS]
    for index, row in enumerate(form.members):
        row.form.sex.choices = [("", "")] + [(code, str(SEX_LABELS[code])) for code in SEXES]
        row.form.id_kind.choices = [("", "")] + [(code, str(ID_KIND_LABELS[code])) for code in ID_KINDS]
        relationships = [(code, _(label)) for code, label in RELATIONSHIPS.items()]
        row.form.relationship.choices = (
            [(Relationship.HEAD, _(RELATIONSHIPS[Relationship.HEAD]))]
            if index == 0
            else [("", "")] + [(code, label) for code, label in relationships if code != Relationship.HEAD]
        )


def _referral(task_id: int | None) -> dict[str, Any] | None:
    if task_id is None:
        return None
    task = waiting_referral(db(), user=current_user, task_id=task_id)
    if task is None:
        raise HttpNotFound()
    return {"reference": task.case.reference, **referral_facts(db(), task.case)}


def _prefill(form: RegisterForm, referral: dict[str, Any]) -> None:
    head = form.members[0].form
    head.name_km.data = referral.get("head_name_km", "")
    head.name_latin.data = referral.get("head_name_latin", "")
    form.village.data = referral.get("village", "")
    form.phone.data = referral.get("phone", "")


def _used(row: MemberForm) -> bool:
    return bool((row.name_km.data or "").strip() or (row.name_latin.data or "").strip() or row.id_number.data)


def _rows_complete(form: RegisterForm) -> bool:
    """Every row that is used names the person fully; unused rows are left out."""
    complete = True
    for index, entry in enumerate(form.members):
        row = entry.form
        if not _used(row) and index > 0:
            continue
        for field in (
            row.name_km,
            row.name_latin,
            row.sex,
            row.date_of_birth,
            row.id_kind,
            row.id_number,
            row.relationship,
        ):
            if not field.data:
                field.errors = [*field.errors, _("This field is required.")]
                complete = False
    if not complete:
        form.form_errors.append(_("Please correct the errors below."))
    return complete


def _members(form: RegisterForm) -> list[MemberEntry]:
    members = []
    for index, entry in enumerate(form.members):
        row = entry.form
        if index > 0 and not _used(row):
            continue
        details = PersonDetails(
            name_km=row.name_km.data or "",
            name_latin=row.name_latin.data or "",
            sex=row.sex.data or "",
            date_of_birth=row.date_of_birth.data,
            id_kind=row.id_kind.data or "",
            id_number=row.id_number.data or "",
            village_code=form.village.data or "",
            equity_card=form.equity_card.data or "none",
            disability=bool(row.disability.data),
            phone=(form.phone.data or None) if index == 0 else None,
            occupation=row.occupation.data or None,
            family_book_number=form.family_book_number.data or None,
        )
        members.append(MemberEntry(details=details, relationship=row.relationship.data or ""))
    return members


def _attach(form: RegisterForm, error: InvalidInput) -> None:
    """Errors of the service beside their fields: `members-<row>-<field>` names a member row's field."""
    for name, messages in error.errors.items():
        parts = name.split("-")
        field = None
        if len(parts) == 3 and parts[0] == "members" and parts[1].isdigit():
            rows = [e.form for i, e in enumerate(form.members) if i == 0 or _used(e.form)]
            index = int(parts[1])
            field = getattr(rows[index], parts[2], None) if index < len(rows) else None
        else:
            field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, *(_(message) for message in messages)]
        else:
            form.form_errors.extend(_(message) for message in messages)
