"""Process editing for supervisors: the process list, bpmn-js viewer and modeler, publish, diff, migrate."""

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.people import ROLES
from webapp.domain.publishing import EDITOR_ROLES, WORKFLOW_EVENT_KINDS, ValidationProblem
from webapp.domain.workflows import ARCHIVED, PUBLISHED
from webapp.services.processes import case_migration, importing, publishing
from webapp.services.processes.catalog import (
    VERSION_LIST,
    latest_version_of,
    process_names,
    process_overview,
    version_page,
)
from webapp.web.errors import size_text
from webapp.web.list_pages import Field, choice_field, date_fields, list_page, sort_field
from webapp.web.runtime import db, discard, runtime

bp = Blueprint("modeler", __name__, url_prefix="/processes")


@bp.before_request
@login_required
def editors_only() -> None:
    # Officers never learn these pages exist.
    if current_user.role not in EDITOR_ROLES:
        abort(404)


@bp.get("/")
def index() -> ResponseReturnValue:
    overviews = process_overview(db(), actor=current_user)
    return render_template("processes.html", overviews=overviews, EVENT_LABELS=WORKFLOW_EVENT_KINDS)


@bp.get("/versions")
def versions() -> ResponseReturnValue:
    """Every version of every process, a page at a time, by process, status and publication date."""
    fields = [
        Field("process", _l("Process"), options=[(pid, _(name)) for pid, name in process_names(db())]),
        choice_field("status", _l("Status"), {PUBLISHED: N_("Published"), ARCHIVED: N_("Archived")}),
        *date_fields(_l("Published from"), _l("Published until")),
        sort_field({"newest": _l("Newest first"), "process": _l("Process")}),
    ]
    page = list_page(VERSION_LIST, "modeler.versions", fields)
    found = version_page(db(), actor=current_user, listing=page.listing, now=utcnow())
    return render_template("process_versions.html", versions=found.rows, links=found, page=page)


@bp.get("/vocabulary.json")
def vocabulary() -> ResponseReturnValue:
    """What the properties panel offers: Sala's roles and forms, with labels in the reader's language."""
    forms = runtime().forms
    known = publishing.vocabulary(db(), forms)
    return jsonify(
        roles=[{"value": name, "label": _(role.label)} for name, role in ROLES.items()],
        forms=[{"value": key, "label": _(spec.title)} for key, spec in sorted(forms.items())],
        letters=[{"value": key, "label": key} for key in sorted(known.letters or ())],
        calendars=[{"value": name, "label": name} for name in sorted(known.calendars or ())],
    )


@bp.get("/versions/<int:version_id>")
def version(version_id: int) -> ResponseReturnValue:
    session = db()
    found = publishing.get_version(session, version_id=version_id, actor=current_user)
    serving = latest_version_of(session, found.process_id)
    return render_template(
        "process_version.html", version=found, serving=serving, version_decisions=publishing.version_decisions
    )


@bp.get("/versions/<int:version_id>/bpmn")
def version_bpmn(version_id: int) -> ResponseReturnValue:
    found = publishing.get_version(db(), version_id=version_id, actor=current_user)
    return Response(publishing.version_bpmn(found)[1], mimetype="application/xml")


@bp.get("/versions/<int:version_id>/decisions/<name>")
def decision(version_id: int, name: str) -> ResponseReturnValue:
    """A decision table deployed with the version, read-only in dmn-js."""
    found = publishing.get_version(db(), version_id=version_id, actor=current_user)
    if name not in publishing.version_decisions(found):
        abort(404)
    return render_template("process_decision.html", version=found, name=name)


@bp.get("/versions/<int:version_id>/decisions/<name>/dmn")
def decision_dmn(version_id: int, name: str) -> ResponseReturnValue:
    found = publishing.get_version(db(), version_id=version_id, actor=current_user)
    decisions = publishing.version_decisions(found)
    if name not in decisions:
        abort(404)
    return Response(decisions[name], mimetype="application/xml")


@bp.get("/versions/<int:version_id>/export")
def export(version_id: int) -> ResponseReturnValue:
    session = db()
    name, data = publishing.export_version(session, version_id=version_id, actor=current_user)
    return Response(
        data, mimetype="application/xml", headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@bp.post("/versions/<int:version_id>/withdraw")
def withdraw(version_id: int) -> ResponseReturnValue:
    session = db()
    found = publishing.withdraw_version(session, version_id=version_id, actor=current_user)
    flash(
        _("Version %(version)s withdrawn: new cases use the previous version.", version=found.version),
        "success",
    )
    return redirect(url_for("modeler.index"))


@bp.post("/versions/<int:version_id>/drafts")
def start_draft(version_id: int) -> ResponseReturnValue:
    session = db()
    draft = publishing.start_draft(session, version_id=version_id, actor=current_user)
    return redirect(url_for("modeler.draft", draft_id=draft.id))


@bp.get("/import")
def import_form() -> ResponseReturnValue:
    """Upload a diagram drawn in bpmn.io or Camunda Modeler, as a draft of a new or an existing process."""
    return _import_page(request.args.get("process", ""))


@bp.post("/import")
def import_bpmn() -> ResponseReturnValue:
    process_id = request.form.get("process_id", "")
    upload = request.files.get("bpmn_file")
    if not isinstance(upload, FileStorage) or not upload.filename:
        discard()
        return _import_page(process_id, errors={"bpmn_file": [N_("Choose the .bpmn file to import.")]}), 422
    file_name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:120]
    try:
        outcome = importing.import_draft(
            db(),
            engine=runtime().process_engine,
            forms=runtime().forms,
            process_id=process_id,
            data=upload.read(
                importing.MAX_FILE_BYTES + 1
            ),  # one byte more is enough to be refused as too large
            file_name=file_name,
            actor=current_user,
        )
    except InvalidInput as error:
        discard()
        return _import_page(process_id, errors=error.errors), 422
    if outcome.draft is None:  # nothing could be read: nothing was stored
        discard()
        return _import_page(process_id, problems=outcome.problems), 422
    flash(_("%(file)s imported as draft %(number)s.", file=file_name, number=outcome.draft.id), "success")
    if not outcome.problems:
        flash(_("No problem found: this draft can be published."), "success")
    return render_template("process_draft.html", draft=outcome.draft, problems=outcome.problems), 201


def _import_page(
    process_id: str,
    *,
    errors: dict[str, list[str]] | None = None,
    problems: tuple[ValidationProblem, ...] = (),
) -> str:
    known = [item.process_id for item in process_overview(db(), actor=current_user)]
    return render_template(
        "process_import.html",
        process_id=process_id,
        known=known,
        errors=errors or {},
        problems=problems,
        limit=size_text(importing.MAX_FILE_BYTES),
    )


@bp.get("/drafts/<int:draft_id>")
def draft(draft_id: int) -> ResponseReturnValue:
    found = publishing.get_draft(db(), draft_id=draft_id, actor=current_user)
    return render_template("process_draft.html", draft=found, problems=[])


@bp.get("/drafts/<int:draft_id>/bpmn")
def draft_bpmn(draft_id: int) -> ResponseReturnValue:
    found = publishing.get_draft(db(), draft_id=draft_id, actor=current_user)
    return Response(found.bpmn_xml, mimetype="application/xml")


@bp.post("/drafts/<int:draft_id>")
def save(draft_id: int) -> ResponseReturnValue:
    """Saves the modeler's XML; called by modeler.js with the CSRF token in a header."""
    session = db()
    try:
        publishing.save_draft(
            session,
            draft_id=draft_id,
            bpmn_xml=request.form.get("bpmn_xml", ""),
            change_note=request.form.get("change_note", ""),
            actor=current_user,
        )
    except InvalidInput as error:
        discard()
        return jsonify(errors=[_(m) for messages in error.errors.values() for m in messages]), 422
    return jsonify(message=_("Draft saved."))


@bp.post("/drafts/<int:draft_id>/validate")
def validate(draft_id: int) -> ResponseReturnValue:
    """The publishing checks without publishing: the same list of problems, or none."""
    session = db()
    engine, forms = runtime().process_engine, runtime().forms
    problems = publishing.validate_draft(
        session, engine=engine, forms=forms, draft_id=draft_id, actor=current_user
    )
    found = publishing.get_draft(session, draft_id=draft_id, actor=current_user)
    if not problems:
        flash(_("No problem found: this draft can be published."), "success")
    return render_template("process_draft.html", draft=found, problems=problems), 422 if problems else 200


@bp.post("/drafts/<int:draft_id>/publish")
def publish(draft_id: int) -> ResponseReturnValue:
    session = db()
    engine, forms = runtime().process_engine, runtime().forms
    outcome = publishing.publish_draft(
        session, engine=engine, forms=forms, draft_id=draft_id, actor=current_user
    )
    if outcome.version is None:
        found = publishing.get_draft(session, draft_id=draft_id, actor=current_user)
        return render_template(
            "process_draft.html", draft=found, problems=outcome.problems, refused=True
        ), 422
    flash(_("Version %(version)s published: new cases use it.", version=outcome.version.version), "success")
    return redirect(url_for("modeler.version", version_id=outcome.version.id))


@bp.get("/diff")
def diff() -> ResponseReturnValue:
    old, new = request.args.get("old", ""), request.args.get("new", "")
    if not (old.isdigit() and new.isdigit()):
        abort(400)
    session = db()
    result = publishing.diff_versions(session, old_id=int(old), new_id=int(new), actor=current_user)
    versions = [publishing.get_version(session, version_id=int(i), actor=current_user) for i in (old, new)]
    return render_template("process_diff.html", diff=result, old=versions[0], new=versions[1])


@bp.get("/versions/<int:version_id>/migrate")
def migration_preview(version_id: int) -> ResponseReturnValue:
    session = db()
    target = publishing.get_version(session, version_id=version_id, actor=current_user)
    moves = case_migration.preview_migration(
        session, engine=runtime().process_engine, version_id=version_id, actor=current_user
    )
    recent = case_migration.recent_migrations(session, version_id=version_id, actor=current_user)
    return render_template("process_migrate.html", target=target, moves=moves, recent=recent)


@bp.post("/versions/<int:version_id>/migrate")
def migrate(version_id: int) -> ResponseReturnValue:
    case_ids = [int(value) for value in request.form.getlist("case_id") if value.isdigit()]
    if not case_ids:
        abort(400)
    session = db()
    records = case_migration.migrate_cases(
        session, engine=runtime().process_engine, version_id=version_id, case_ids=case_ids, actor=current_user
    )
    flash(_("%(count)s cases moved to the new version.", count=len(records)), "success")
    return redirect(url_for("modeler.migration_preview", version_id=version_id))


@bp.post("/migrations/<int:migration_id>/revert")
def revert(migration_id: int) -> ResponseReturnValue:
    session = db()
    case = case_migration.revert_migration(
        session, engine=runtime().process_engine, migration_id=migration_id, actor=current_user
    )
    flash(_("Case %(reference)s is back on its previous version.", reference=case.reference), "success")
    return redirect(url_for("cases.show", case_id=case.id))
