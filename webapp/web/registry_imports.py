"""Importing a household list: upload, the preview of every row (paginated, filtered), confirm or cancel, the
progress while the worker imports, and the error report as a formula-safe CSV."""

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.exceptions import NotFound as HttpNotFound

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.registry_imports import IMPORT_STATUSES, ImportStatus
from webapp.domain.text import SafeCsvWriter
from webapp.services.registry.import_rows import COLUMNS, Row
from webapp.services.registry.importing import (
    IMPORTER_ROLE,
    cancel_import,
    confirm_import,
    get_import,
    preview,
    problem_rows,
    upload_list,
)
from webapp.services.registry.lists import IMPORT_LIST, import_page
from webapp.web.form_actions import attach_errors
from webapp.web.list_pages import Field, choice_field, date_fields, list_page, text_field
from webapp.web.params import page_number
from webapp.web.runtime import db, discard

bp = Blueprint("registry_imports", __name__, url_prefix="/registry/imports")
PAGE_SIZE = 20
FILTERS = {
    "all": _l("Every row"),
    "problems": _l("Rows with a problem"),
    "duplicates": _l("Possible duplicates"),
    "ready": _l("Ready to import"),
}


class UploadForm(FlaskForm):
    file = FileField(_l("List of households (CSV or Excel .xlsx)"))


@bp.before_request
@login_required
def _importers_only() -> None:
    if current_user.role != IMPORTER_ROLE:
        raise HttpNotFound()


@bp.route("/", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    session = db()
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        try:
            if not file or not getattr(file, "filename", ""):
                raise InvalidInput({"file": [N_("Choose the file to upload.")]})
            upload = upload_list(session, actor=current_user, filename=file.filename, content=file.read())
        except InvalidInput as error:
            discard()
            attach_errors(form, error)
        else:
            return redirect(url_for("registry_imports.show", import_id=upload.id))
    page = list_page(IMPORT_LIST, "registry_imports.new", _import_fields())
    found = import_page(session, user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "registry_import_new.html",
        form=form,
        imports=found.rows,
        page=page,
        links=found,
        STATUSES=IMPORT_STATUSES,
        columns=list(COLUMNS),
    ), 422 if form.errors else 200


def _import_fields() -> list[Field]:
    statuses = {code: str(label) for code, label in IMPORT_STATUSES.items()}
    return [text_field(_l("File name")), choice_field("status", _l("Status"), statuses), *date_fields()]


@bp.get("/<int:import_id>")
def show(import_id: int) -> ResponseReturnValue:
    upload = get_import(db(), import_id=import_id, user=current_user)
    shown = request.args.get("show", "all")
    shown = shown if shown in FILTERS else "all"
    rows = [row for row in preview(upload).rows if _keeps(row, shown)]
    page = page_number(request.args.get("page"))
    return render_template(
        "registry_import.html",
        upload=upload,
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        page=page,
        has_next=page * PAGE_SIZE < len(rows),
        shown=shown,
        FILTERS=FILTERS,
        STATUSES=IMPORT_STATUSES,
        ImportStatus=ImportStatus,
    )


@bp.post("/<int:import_id>/confirm")
def confirm(import_id: int) -> ResponseReturnValue:
    try:
        confirm_import(db(), import_id=import_id, actor=current_user)
    except InvalidInput as error:
        discard()
        for messages in error.errors.values():
            for message in messages:
                flash(_(message), "error")
    else:
        flash(_("The import has started; this page shows its progress."), "success")
    return redirect(url_for("registry_imports.show", import_id=import_id))


@bp.post("/<int:import_id>/cancel")
def cancel(import_id: int) -> ResponseReturnValue:
    cancel_import(db(), import_id=import_id, actor=current_user)
    flash(_("The list was not imported; nothing was saved."), "info")
    return redirect(url_for("registry_imports.new"))


@bp.get("/<int:import_id>/errors.csv")
def errors_csv(import_id: int) -> ResponseReturnValue:
    upload = get_import(db(), import_id=import_id, user=current_user)
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["row", *COLUMNS, "problems"])
    for row in problem_rows(upload):
        writer.writerow(
            [
                row.number,
                *(row.raw.get(column, "") for column in COLUMNS),
                " | ".join(_(p) for p in row.problems),
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="import-{upload.id}-errors.csv"'},
    )


def _keeps(row: Row, shown: str) -> bool:
    if shown == "problems":
        return bool(row.problems)
    if shown == "duplicates":
        return bool(row.duplicates)
    if shown == "ready":
        return not row.problems
    return True
