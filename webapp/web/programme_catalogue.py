"""The programme catalogue, the SSDM's first function: a public page per programme, no account needed."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import NotFound as HttpNotFound

from webapp.domain.registry import Programme
from webapp.web.runtime import db

bp = Blueprint("catalogue", __name__)
CODE_LENGTH = 40


@bp.get("/programmes")
def index() -> ResponseReturnValue:
    programmes = db().scalars(select(Programme).where(Programme.active).order_by(Programme.position)).all()
    groups: dict[str, list[Programme]] = {}
    for programme in programmes:
        groups.setdefault(programme.family, []).append(programme)
    return render_template("programme_catalogue.html", groups=groups)


@bp.get("/programmes/<code>")
def show(code: str) -> ResponseReturnValue:
    programme = db().get(Programme, code[:CODE_LENGTH])
    if programme is None or not programme.active:
        raise HttpNotFound()
    return render_template("programme_page.html", programme=programme, rule=_both(programme.rule))


def _both(message_id: str) -> dict[str, str]:
    """A message in Khmer and in English, whatever the reader's language: the rules are read aloud at
    commune meetings, and partners who read English check them too."""
    texts = {}
    for locale in ("km", "en"):
        with force_locale(locale):
            texts[locale] = _(message_id)
    return texts
