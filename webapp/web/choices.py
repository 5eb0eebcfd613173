"""Choices computed per request for forms' `choices_from` fields, labelled in the reader's language."""

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from webapp.domain.cases import DOCUMENT_KINDS
from webapp.domain.people import User
from webapp.services.casework.queries import programmes, villages_for
from webapp.web.labels import DOCUMENT_KIND_LABELS


def choices_for(session: Session, user: User) -> dict[str, list[tuple[str, str]]]:
    locale = str(get_locale())
    return {
        "programmes": [(p.code, _(p.name)) for p in programmes(session)],
        "villages": [(v.code, v.name(locale)) for v in villages_for(session, user=user)],
        "document_kinds": [(kind, _(DOCUMENT_KIND_LABELS[kind])) for kind in DOCUMENT_KINDS],
    }
