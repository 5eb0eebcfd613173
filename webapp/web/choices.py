"""Choices computed per request for forms' `choices_from` fields, labelled in the reader's language."""

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from webapp.domain.cases import DOCUMENT_KINDS
from webapp.domain.people import User
from webapp.web.labels import DOCUMENT_KIND_LABELS
from webapp.web.reference import programme_rows, village_rows


def choices_for(session: Session, user: User) -> dict[str, list[tuple[str, str]]]:
    khmer = str(get_locale()) == "km"
    return {
        "programmes": [(code, _(name)) for code, name in programme_rows(session)],
        "villages": [(code, km if khmer else latin) for code, km, latin in village_rows(session, user)],
        "document_kinds": [(kind, _(DOCUMENT_KIND_LABELS[kind])) for kind in DOCUMENT_KINDS],
    }
