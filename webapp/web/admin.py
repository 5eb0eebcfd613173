"""Administration pages: officers' accounts (create, change, reset the password, deactivate) and the audit of
administrative acts. Administrators only; every other reader gets 404."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from webapp.domain.audit import ADMIN_KINDS
from webapp.domain.base import utcnow
from webapp.domain.messages import N_
from webapp.domain.people import ROLES, RoleName, User
from webapp.services.casework.admin_lists import AUDIT_LIST, USER_LIST, account_page, audit_page
from webapp.services.casework.staff import deactivate_officer
from webapp.services.platform import users
from webapp.services.platform.audit import audit_csv
from webapp.web.form_actions import attempt
from webapp.web.list_pages import Field, choice_field, date_fields, list_page, sort_field, text_field
from webapp.web.runtime import db

bp = Blueprint("admin", __name__, url_prefix="/admin")
CSV_ROWS = 5000  # rows of one audit download, the filters applied
AREA_LABELS = {
    "users": _l("Accounts"),
    "calendars": _l("Calendars"),
    "processes": _l("Processes"),
    "migrations": _l("Case migrations"),
    "merges": _l("Merged records of people"),
}


class AccountForm(FlaskForm):
    username = StringField(_l("Username"), validators=[Optional(), Length(max=80)])
    full_name = StringField(
        _l("Full name"), validators=[DataRequired(_l("This field is required.")), Length(max=120)]
    )
    role = SelectField(_l("Role"), validators=[DataRequired(_l("This field is required."))])
    area_code = StringField(
        _l("Area"),
        validators=[Optional(), Length(max=8)],
        description=_l("Type a name or a code, then choose from the list."),
    )
    process_owner = BooleanField(_l("May publish and withdraw processes for the whole country"))
    password = PasswordField(_l("Temporary password"), validators=[Optional(), Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("Temporary password"), validators=[DataRequired(_l("This field is required.")), Length(max=200)]
    )


@bp.before_request
@login_required
def _administrators_only() -> None:
    if current_user.role != RoleName.ADMINISTRATOR:
        abort(404)


def _account_form(user: User | None = None) -> AccountForm:
    form = AccountForm(obj=user)
    form.role.choices = [(name, _(role.label)) for name, role in ROLES.items()]
    return form


def _account(form: AccountForm, username: str) -> users.Account:
    return users.Account(
        username=username,
        full_name=form.full_name.data or "",
        role=form.role.data or "",
        area_code=form.area_code.data or "",
        process_owner=bool(form.process_owner.data),
    )


@bp.get("/users")
def user_list() -> ResponseReturnValue:
    roles = {code: str(role.label) for code, role in ROLES.items()}
    states = {"active": N_("Active"), "deactivated": N_("Deactivated")}
    fields = [
        text_field(_l("Username or name")),
        choice_field("role", _l("Role"), roles),
        Field("area", _l("Area code"), "text", hint=_l("2 to 8 digits, e.g. 1701")),
        choice_field("state", _l("Status"), states),
        sort_field({"username": _l("Username"), "newest": _l("Newest first")}),
    ]
    page = list_page(USER_LIST, "admin.user_list", fields)
    found = account_page(db(), actor=current_user, listing=page.listing, now=utcnow())
    return render_template("admin_users.html", users=found.rows, links=found, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> ResponseReturnValue:
    form = _account_form()
    if form.validate_on_submit():
        created = attempt(
            form,
            lambda: users.create_user(
                db(),
                actor=current_user,
                account=_account(form, form.username.data or ""),
                password=form.password.data or "",
            ),
        )
        if created is not None:
            flash(_("Account %(username)s created.", username=created.username), "success")
            return redirect(url_for("admin.user_edit", user_id=created.id))
    return render_template("admin_user.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> ResponseReturnValue:
    user = users.get_user(db(), actor=current_user, user_id=user_id)
    form = _account_form(user)
    if form.validate_on_submit():
        changed = attempt(
            form,
            lambda: users.update_user(db(), actor=current_user, user_id=user_id, account=_account(form, "")),
        )
        if changed is not None:
            flash(_("Account %(username)s saved.", username=user.username), "success")
            return redirect(url_for("admin.user_edit", user_id=user_id))
    page = render_template("admin_user.html", form=form, user=user, password_form=PasswordForm(formdata=None))
    return page, 422 if form.errors else 200


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int) -> ResponseReturnValue:
    user = users.get_user(db(), actor=current_user, user_id=user_id)
    form = PasswordForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: users.reset_password(
            db(), actor=current_user, user_id=user_id, password=form.password.data or ""
        ),
    ):
        flash(
            _("Password reset: %(username)s must change it at the next sign-in.", username=user.username),
            "success",
        )
        return redirect(url_for("admin.user_edit", user_id=user_id))
    page = render_template("admin_user.html", form=_account_form(user), user=user, password_form=form)
    return page, 422


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> ResponseReturnValue:
    done = attempt(FlaskForm(), lambda: deactivate_officer(db(), actor=current_user, user_id=user_id))
    if done is not None:
        flash(
            _(
                "Account %(username)s deactivated; its tasks are back in the shared list.",
                username=done.username,
            ),
            "success",
        )
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int) -> ResponseReturnValue:
    done = attempt(FlaskForm(), lambda: users.reactivate_user(db(), actor=current_user, user_id=user_id))
    if done is not None:
        flash(_("Account %(username)s reactivated.", username=done.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    fields = [
        choice_field("area", _l("Kind"), {area: str(label) for area, label in AREA_LABELS.items()}),
        Field("actor", _l("Who"), "text"),
        *date_fields(),
    ]
    page = list_page(AUDIT_LIST, "admin.audit", fields)
    if request.args.get("format") == "csv":
        found = audit_page(db(), actor=current_user, listing=page.listing, size=CSV_ROWS)
        return Response(
            audit_csv(found.rows),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )
    found = audit_page(db(), actor=current_user, listing=page.listing)
    return render_template(
        "admin_audit.html",
        entries=found.rows,
        links=found,
        page=page,
        area_labels=AREA_LABELS,
        kinds=ADMIN_KINDS,
    )
