"""Letters: a case's letters (open, reprint, delivered, correct), the area's letters to hand out (several
marked delivered at once), commune batches, and public verification."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.domain.base import utcnow
from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.letters import DELIVERY_METHODS, LETTER_TYPES, Letter
from webapp.domain.messages import N_
from webapp.letters import default_renderer
from webapp.services.correspondence import batches as letter_batches
from webapp.services.correspondence.letter_list import (
    DELIVERED,
    LETTER_LIST,
    WAITING,
    letter_page,
    mark_many_delivered,
)
from webapp.services.correspondence.letters import (
    HANDLER_ROLES,
    PUBLIC_URL,
    case_letters,
    check_may_handle,
    correct_letter,
    get_letter,
    letter_pdf,
    mark_delivered,
)
from webapp.services.correspondence.verification import UnknownLetter, verify
from webapp.services.platform.throttle import TooManyAttempts
from webapp.web.errors import translated
from webapp.web.labels import LETTER_LANGUAGE_LABELS
from webapp.web.list_pages import (
    Field,
    bulk,
    choice_field,
    commune_field,
    date_fields,
    list_page,
    sort_field,
    text_field,
)
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("letters", __name__)
BATCH_STATUS_LABELS = {
    "queued": _l("Waiting for the worker"),
    "running": _l("Being prepared"),
    "done": _l("Ready"),
    "failed": _l("Failed: ask your supervisor"),
}
LETTER_LANGUAGES = LETTER_LANGUAGE_LABELS
LETTER_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src data:; "
    "frame-ancestors 'none'"
)
# On screen the letter's A4 pages sit on a grey desk, as in a PDF viewer; printed, letter.css alone applies.
# (The running header is a print-only box: a browser would draw it at the top of the first page.)
SCREEN_STYLE = (
    "<style>@media screen{html{background:#e4e7eb}"
    ".page{box-sizing:border-box;width:210mm;max-width:100%;min-height:297mm;margin:1rem auto;"
    "padding:18mm 20mm 16mm;background:#fff;box-shadow:0 1px 4px rgb(0 0 0 / 25%)}"
    ".card-page{width:85.6mm;min-height:54mm;padding:3mm}.running{display:none}}"
    "@media screen and (max-width:640px){.page{margin:0;padding:6mm 5mm;min-height:0}}</style>"
)


def set_public_url() -> None:
    """QR codes point at the address officers reach Sala by, so a scan from a printed letter works."""
    PUBLIC_URL.set(runtime().settings.public_url or request.url_root)


def _letter(case_id: int, letter_id: int) -> Letter:
    letter = get_letter(db(), letter_id=letter_id, user=current_user)
    if letter.case_id != case_id:
        abort(404)
    return letter


@bp.get("/cases/<int:case_id>/letters/<int:letter_id>.pdf")
@login_required
def pdf(case_id: int, letter_id: int) -> ResponseReturnValue:
    letter = _letter(case_id, letter_id)
    disposition = "attachment" if request.args.get("download") else "inline"
    return Response(
        letter_pdf(db(), letter=letter),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"{disposition}; filename={letter.reference}.pdf"},
    )


@bp.get("/cases/<int:case_id>/letters/<int:letter_id>/html")
@login_required
def html(case_id: int, letter_id: int) -> ResponseReturnValue:
    letter = _letter(case_id, letter_id)
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{url_for("letters.asset", name="letter.css")}">{SCREEN_STYLE}</head>'
    )
    page = letter.html.replace("</head>", head, 1)
    return Response(page, mimetype="text/html", headers={"Content-Security-Policy": LETTER_CSP})


@bp.get("/letters/assets/<path:name>")
def asset(name: str) -> ResponseReturnValue:
    """The letters' stylesheet and fonts (letters/letter.css, letters/fonts), read where the PDF renderer
    reads them: the page view of a letter draws with the same ones."""
    path = default_renderer().asset(name)
    if path is None:
        abort(404)
    return send_file(path, max_age=86400)


@bp.post("/cases/<int:case_id>/letters/<int:letter_id>/delivered")
@login_required
def delivered(case_id: int, letter_id: int) -> ResponseReturnValue:
    letter = _letter(case_id, letter_id)
    check_may_handle(current_user)
    try:
        on = date.fromisoformat(request.form.get("on", ""))
    except ValueError:
        on = date.min
    try:
        mark_delivered(
            db(),
            letter=letter,
            on=on,
            how=request.form.get("how", ""),
            actor=current_user,
            today=today(),
        )
    except DomainError as error:
        discard()
        flash(_field_errors(error), "error")
    else:
        flash(_("Letter %(reference)s marked as delivered.", reference=letter.reference), "success")
    return redirect(url_for("cases.show", case_id=case_id, _anchor="letters"))


@bp.post("/cases/<int:case_id>/letters/<int:letter_id>/correct")
@login_required
def correct(case_id: int, letter_id: int) -> ResponseReturnValue:
    letter = _letter(case_id, letter_id)
    check_may_handle(current_user)
    reason = request.form.get("reason", "")[:4000]
    language = request.form.get("language", "")
    try:
        new = correct_letter(
            db(), letter=letter, actor=current_user, today=today(), reason=reason, language=language
        )
    except InvalidInput as error:
        discard()
        flash(_field_errors(error), "error")
        return redirect(url_for("cases.show", case_id=case_id, _anchor="letters"))
    flash(
        _("Letter %(reference)s issued; it replaces %(old)s.", reference=new.reference, old=letter.reference)
    )
    return redirect(url_for("cases.show", case_id=case_id, _anchor="letters"))


def _field_errors(error: DomainError) -> str:
    errors = getattr(error, "errors", None)
    if errors:
        return " ".join(_(message) for messages in errors.values() for message in messages)
    return translated(error)


LETTER_SORTS = {"newest": _l("Newest first"), "oldest": _l("Oldest first")}
DELIVERY_STATES = {WAITING: _l("Not yet delivered"), DELIVERED: _l("Delivered")}


@bp.get("/letters/")
@login_required
def index() -> ResponseReturnValue:
    """The letters of the officer's area, to hand out: filter a commune's undelivered ones, tick those
    handed over, and mark them delivered together."""
    check_may_handle(current_user)
    page = list_page(LETTER_LIST, "letters.index", _letter_fields())
    found = letter_page(db(), user=current_user, now=utcnow(), listing=page.listing)
    return render_template("letters.html", rows=found.rows, links=found, page=page, today=today())


def _letter_fields() -> list[Field]:
    fields = [
        text_field(_l("Letter or case reference")),
        commune_field(current_user),
        choice_field("delivery", _l("Delivery"), {key: str(label) for key, label in DELIVERY_STATES.items()}),
        choice_field("type", _l("Letter"), LETTER_TYPES),
        *date_fields(_l("Issued from"), _l("Issued until")),
        sort_field(LETTER_SORTS),
    ]
    return [field for field in fields if field is not None]


@bp.post("/letters/delivered")
@login_required
def deliver_selected() -> ResponseReturnValue:
    """Marks the ticked letters delivered on one day, one way; each goes through `mark_delivered`."""
    try:
        on = date.fromisoformat(request.form.get("on", "")[:10])
    except ValueError:
        on = date.max  # refused by the service as a day after today
    how = request.form.get("how", "")
    return bulk(
        LETTER_LIST,
        "letters.index",
        "letter_id",
        lambda ids: mark_many_delivered(
            db(), letter_ids=ids, on=on, how=how, actor=current_user, today=today()
        ),
        N_("%(count)s marked as delivered"),
    )


@bp.route("/letters/batch", methods=["GET", "POST"])
@login_required
def batch() -> ResponseReturnValue:
    if current_user.role not in letter_batches.BATCH_ROLES:
        abort(404)
    session = db()
    if request.method == "POST":
        job = _enqueue_batch()
        if job is not None:
            flash(_("Batch %(number)s queued: the worker is preparing the PDF.", number=job), "success")
            return redirect(url_for("letters.batch"))
    day = today()
    page = render_template(
        "letter_batch.html",
        communes=letter_batches.communes_for(session, user=current_user),
        jobs=letter_batches.batch_jobs(session, user=current_user),
        week_start=day - timedelta(days=day.weekday()),
    )
    return page, 422 if request.method == "POST" else 200


def _enqueue_batch() -> int | None:
    """The queued job's number, or None after flashing why not."""
    session = db()
    try:
        start = date.fromisoformat(request.form.get("start", ""))
        job = letter_batches.enqueue_batch(
            session,
            actor=current_user,
            commune_code=request.form.get("commune", ""),
            start=start,
            end=start + timedelta(days=6),
            cards=request.form.get("cards") == "1",
        )
    except ValueError:
        flash(_("Choose the first day of the week."), "error")
        return None
    except DomainError as error:
        discard()
        flash(_field_errors(error), "error")
        return None
    return job.id


@bp.get("/letters/batch/<token>.pdf")
@login_required
def batch_pdf(token: str) -> ResponseReturnValue:
    content = letter_batches.batch_pdf(db(), token=token, user=current_user)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=letters-batch.pdf"},
    )


@bp.get("/verify", defaults={"token": ""})
@bp.get("/verify/<token>")
def verify_page(token: str) -> ResponseReturnValue:
    """Public: anyone holding a letter checks it with the code printed under its QR code. Shows no personal
    data beyond initials; a wrong code still counts against the reader's address (so it is not discarded)."""
    code = token or request.args.get("code", "")
    verification, error, status = None, None, 200
    if code:
        try:
            verification = verify(db(), token=code, client=request.remote_addr or "unknown", now=utcnow())
        except (UnknownLetter, TooManyAttempts) as refused:
            error, status = translated(refused), refused.status
    page = render_template(
        "verify.html", verification=verification, error=error, delivery_methods=DELIVERY_METHODS
    )
    return page, status


def template_globals() -> dict[str, object]:
    """What the case page and the batch page need from here."""
    return {
        "DELIVERY_METHODS": DELIVERY_METHODS,
        "LETTER_HANDLER_ROLES": HANDLER_ROLES,
        "BATCH_STATUS_LABELS": BATCH_STATUS_LABELS,
        "LETTER_LANGUAGES": LETTER_LANGUAGES,
        "letters_of": lambda case: case_letters(db(), case=case),
    }
