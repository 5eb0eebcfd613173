"""Sign-in and sign-out with Flask-Login; the password check itself is a service."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from webapp.domain.people import User
from webapp.services.platform.auth import SignInFailed, authenticate, load_user
from webapp.web.i18n import safe_next
from webapp.web.runtime import db

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("This field is required.")), Length(max=80)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("This field is required.")), Length(max=200)]
    )


def init_app(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.sign_in"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "info"
    manager.session_protection = "strong"

    @manager.user_loader
    def _load(user_id: str) -> User | None:
        return load_user(db(), user_id)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("inbox.index"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(db(), username=form.username.data or "", password=form.password.data or "")
        except SignInFailed:
            error = _("The username or password is not right.")
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    status = 401 if error else (422 if form.errors else 200)
    return render_template("sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
@login_required
def sign_out() -> ResponseReturnValue:
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))
