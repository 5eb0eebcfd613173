"""The family folder (one printable page per household) and the form that records the use of a programme."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as HttpNotFound
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from webapp.domain.grievances import CATEGORIES, DECISIONS, STATUSES
from webapp.domain.letters import LETTER_TYPES
from webapp.domain.programme_use import COUNTED_DAYS
from webapp.domain.registry import RELATIONSHIPS
from webapp.services.casework.queries import programmes
from webapp.services.registry.access import get_person
from webapp.services.registry.folder import READERS, family_folder
from webapp.services.registry.programme_use import RECORDERS, UseEntry, record_programme_use
from webapp.services.registry.registration import is_registered
from webapp.web.form_actions import attempt
from webapp.web.form_builder import SalaDateField, SalaIntegerField
from webapp.web.runtime import db, runtime, today

bp = Blueprint("registry_folder", __name__, url_prefix="/registry")
# The person page links a household's folder for the roles that may open it.
bp.add_app_template_global(lambda user: user.role in READERS, "may_open_folder")


class UseForm(FlaskForm):
    programme = SelectField(_l("Programme"), validators=[DataRequired()])
    start_date = SalaDateField(_l("From"), validators=[DataRequired()])
    end_date = SalaDateField(_l("Until (empty while it lasts)"), validators=[Optional()])
    days = SalaIntegerField(
        _l("Days worked or school days with a meal"),
        validators=[Optional(), NumberRange(min=0, max=366)],
        description=_l("Public works and school feeding only."),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


@bp.get("/households/<int:household_id>/folder")
@login_required
def folder(household_id: int) -> ResponseReturnValue:
    found = family_folder(
        db(), engine=runtime().process_engine, household_id=household_id, viewer=current_user, today=today()
    )
    registration = found.registrations[-1] if found.registrations else None
    return render_template(
        "registry_folder.html",
        folder=found,
        registration=registration,
        registered=is_registered(registration),
        printed_on=today(),
        may_record=current_user.role in RECORDERS,
        RELATIONSHIPS=RELATIONSHIPS,
        LETTER_TYPES=LETTER_TYPES,
        GRIEVANCE_LABELS={"category": CATEGORIES, "status": STATUSES, "decision": DECISIONS},
        COUNTED_DAYS=COUNTED_DAYS,
    )


@bp.route("/people/<int:person_id>/programme-use", methods=["GET", "POST"])
@login_required
def record_use(person_id: int) -> ResponseReturnValue:
    if current_user.role not in RECORDERS:
        raise HttpNotFound()
    session = db()
    person = get_person(session, person_id=person_id, user=current_user)
    form = UseForm()
    form.programme.choices = [(p.code, _(p.name)) for p in programmes(session)]
    if form.validate_on_submit():
        entry = UseEntry(
            programme_code=form.programme.data or "",
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            days=form.days.data,
            note=form.note.data or "",
        )
        recorded = attempt(
            form,
            lambda: record_programme_use(
                session, person_id=person.id, entry=entry, actor=current_user, today=today()
            ),
        )
        if recorded is not None:
            flash(_("The use of the programme is recorded."), "success")
            household_id = person.membership.household_id if person.membership else None
            if household_id is not None:
                return redirect(url_for("registry_folder.folder", household_id=household_id))
            return redirect(url_for("registry.person", person_id=person.id))
    return render_template("registry_use.html", form=form, person=person), 422 if form.errors else 200
