"""Files kept across a question asked before saving ("this may be the same person"): the bytes wait in the
document store under their SHA-256 and the form carries a signed token naming them, bound to the officer and
valid for a few hours, so nothing already attached is asked for again and nobody can name another's file."""

from typing import Any

from flask import current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session
from wtforms.validators import Optional

from webapp.domain.held_files import HELD_FOR
from webapp.forms import FormSpec
from webapp.services.casework.documents import HeldUpload, Upload, hold_uploads, take_held
from webapp.web.form_builder import uploads_from

HELD_FIELD = "held_uploads"
SALT = "sala.held-uploads"
VALID_FOR = int(HELD_FOR.total_seconds())  # seconds: the worker deletes bytes never filed after that
_HEX = set("0123456789abcdef")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=SALT)


def held_from_request(spec: FormSpec) -> list[HeldUpload]:
    """The files the officer's form holds already; nothing when the token is missing, stale, forged,
    another officer's, or names a field the form does not have."""
    token = request.form.get(HELD_FIELD, "")
    if not token or len(token) > 4000:
        return []
    try:
        payload = _serializer().loads(token, max_age=VALID_FOR)
    except BadSignature:
        return []
    if not isinstance(payload, dict) or payload.get("user") != current_user.id:
        return []
    fields = {field.name for field in spec.file_fields}
    held = []
    for entry in payload.get("files", []):
        if isinstance(entry, list) and len(entry) == 4 and all(isinstance(part, str) for part in entry):
            field, kind, filename, digest = entry
            if field in fields and len(digest) == 64 and set(digest) <= _HEX:
                held.append(HeldUpload(field, kind, filename, digest))
    return held


def relax_held_fields(form: Any, held: list[HeldUpload]) -> None:
    """A required file field the officer filled before is satisfied by the held file."""
    for entry in held:
        getattr(form, entry.field).validators = [Optional()]


def hold(
    session: Session, spec: FormSpec, form: Any, held: list[HeldUpload], max_bytes: int
) -> list[HeldUpload]:
    """The files of this submission held (a file chosen again replaces the one held for its field)."""
    fresh = hold_uploads(session, uploads=uploads_from(spec, form), max_bytes=max_bytes)
    chosen = {entry.field for entry in fresh}
    return [entry for entry in held if entry.field not in chosen] + fresh


def token_for(held: list[HeldUpload]) -> str:
    files = [[entry.field, entry.kind, entry.filename, entry.sha256] for entry in held]
    return str(_serializer().dumps({"user": current_user.id, "files": files}))


def all_uploads(session: Session, spec: FormSpec, form: Any, held: list[HeldUpload]) -> list[Upload]:
    """The files chosen now, and the held ones for fields left empty this time."""
    uploads = uploads_from(spec, form)
    chosen = {upload.field for upload in uploads}
    return uploads + take_held(session, held=[entry for entry in held if entry.field not in chosen])
