"""Sign-in, sign-out and the officer's own password, with Flask-Login; the checks themselves are services."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.people import User
from webapp.services.platform.auth import (
    SignInFailed,
    authenticate,
    change_own_password,
    end_sessions,
    load_user,
)
from webapp.services.platform.throttle import TooManyAttempts
from webapp.services.platform.users import record_own_password_change
from webapp.web import sessions
from webapp.web.errors import translated
from webapp.web.form_actions import attach_errors
from webapp.web.i18n import safe_next
from webapp.web.runtime import db, discard

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("This field is required.")), Length(max=80)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("This field is required.")), Length(max=200)]
    )


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("This field is required.")), Length(max=200)]
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("This field is required.")), Length(max=200)]
    )


def init_app(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.sign_in"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def _load(user_id: str) -> User | None:
        user = load_user(db(), user_id)
        if user is None or not sessions.still_valid(user):
            sessions.forget()
            return None
        return user

    sessions.init_app(app)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    form = SignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(
                db(),
                username=form.username.data or "",
                password=form.password.data or "",
                client=request.remote_addr or "unknown",
                now=utcnow(),
            )
        except SignInFailed:
            error, status = _("The username or password is not right."), 401
        except TooManyAttempts as refused:
            error, status = translated(refused), 429
        else:
            login_user(user)
            sessions.start(user)
            return redirect(safe_next(request.args.get("next")))
    if form.errors:
        status = 422
    return render_template("sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
@login_required
def sign_out() -> ResponseReturnValue:
    end_sessions(db(), user=current_user)  # the same account's sessions on other devices end too
    logout_user()
    sessions.forget()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_own_password(
                db(), user=user, current=form.current.data or "", new=form.password.data or ""
            )
            record_own_password_change(db(), user=user)
        except InvalidInput as error:
            discard()
            attach_errors(form, error)
        else:
            sessions.start(user)  # this session carries on; every other one ends
            flash(_("Your password is changed."), "success")
            return redirect(url_for("inbox.index"))
    return render_template("change_password.html", form=form), 422 if form.errors else 200
