"""The registry's pages: one search box for every officer, a person's page with their household, cases and the
history of their record, change requests (proposed by officers, decided by the district) and the district's
duplicate review where two records are merged or found to be two people."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.errors import DomainError, InvalidInput
from webapp.domain.messages import N_
from webapp.domain.registry import (
    CHANGE_STATUSES,
    CHANGEABLE_FIELDS,
    RELATIONSHIPS,
    Household,
    Person,
    PersonChangeRequest,
)
from webapp.domain.spid import format_spid
from webapp.letters.khmer import digits as khmer_digits
from webapp.services.casework.access import may_read_personal
from webapp.services.casework.search import find_references
from webapp.services.registry.access import DECIDING_ROLES, get_person, may_decide, may_propose
from webapp.services.registry.changes import (
    approve_change,
    change_requests_of,
    person_history,
    refuse_change,
    request_change,
)
from webapp.services.registry.duplicates import mark_distinct, merge_people
from webapp.services.registry.folder import READERS
from webapp.services.registry.lists import CHANGE_LIST, DUPLICATE_LIST, change_page, duplicate_page
from webapp.services.registry.matching import PersonMatches, match_people
from webapp.services.registry.search import search_people
from webapp.web.errors import translated
from webapp.web.list_pages import (
    Field,
    choice_field,
    commune_field,
    date_fields,
    list_page,
    sort_field,
    text_field,
)
from webapp.web.params import page_number
from webapp.web.runtime import db, discard, runtime, today

bp = Blueprint("registry", __name__)
MAX_QUERY = 120


@bp.app_template_filter("reader_digits")
def reader_digits(value: object) -> str:
    """An identifier (SPID, ID or family book number) in the digits of the reader's language: Khmer digits
    on Khmer pages. Stored, typed (either digits) and exported in CSV as ASCII."""
    text = "" if value is None else str(value)
    return khmer_digits(text) if str(get_locale()) == "km" else text


@bp.app_template_global("format_spid")
def spid_for_reader(value: str) -> str:
    """The SPID in groups of four, in the reader's digits."""
    return reader_digits(format_spid(value))


NUMBER_FIELDS = frozenset({"id_number", "family_book_number", "phone"})


@bp.app_template_global("field_value_text")
def field_value_text(field: str, value: object) -> str:
    """A recorded value of a person's field as the history and change requests show it (numbers in the
    reader's digits; nothing for an empty value)."""
    if value is None:
        return ""
    return reader_digits(value) if field in NUMBER_FIELDS else str(value)


# What an officer may propose on the person page (the rest comes with an application or the registration).
PROPOSABLE = ("name_km", "name_latin", "village_code", "occupation", "family_book_number", "phone")


@bp.get("/search")
@login_required
def search() -> ResponseReturnValue:
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    page = page_number(request.args.get("page"))
    references, people = [], None
    if query:
        session = db()
        references = find_references(session, user=current_user, query=query) if page == 1 else []
        people = search_people(session, user=current_user, query=query, page=page)
    return render_template(
        "registry_search.html",
        query=query,
        references=references,
        people=people,
        may_review=current_user.role in DECIDING_ROLES,
    )


@bp.get("/people/<int:person_id>")
@login_required
def person(person_id: int) -> ResponseReturnValue:
    session = db()
    found = get_person(session, person_id=person_id, user=current_user)
    cases = [
        case
        for case in session.scalars(select(Case).where(Case.person_id == found.id).order_by(Case.created_at))
        if may_read_personal(session, case=case, viewer=current_user)
    ]
    household = found.membership.household if found.membership is not None else None
    return render_template(
        "registry_person.html",
        person=found,
        household=household,
        cases=cases,
        history=person_history(session, person=found),
        requests=change_requests_of(session, person=found),
        may_propose=may_propose(current_user, found),
        may_decide=may_decide(current_user, found),
        proposable=PROPOSABLE,
        FIELDS=CHANGEABLE_FIELDS,
        RELATIONSHIPS=RELATIONSHIPS,
        CHANGE_STATUSES=CHANGE_STATUSES,
        survivor=session.get(Person, found.merged_into_id) if found.merged_into_id else None,
        household_label=_household_label,
        matches=_matches(found),
    )


def _matches(found: Person) -> PersonMatches | None:
    """The programmes the person likely fits, for the officers who may open the family folder (where the
    household's members are matched too); a merged-away record is matched under its survivor."""
    if current_user.role not in READERS or found.merged_into_id is not None:
        return None
    return match_people(db(), engine=runtime().process_engine, people=[found], today=today())[0]


def _household_label(household_id: int | None) -> str:
    household = db().get(Household, household_id) if household_id else None
    if household is None or household.head is None:
        return "" if household_id is None else f"#{household_id}"
    return f"{household.head.name_km} ({household.head.name_latin})"


@bp.post("/people/<int:person_id>/changes")
@login_required
def propose(person_id: int) -> ResponseReturnValue:
    session = db()
    found = get_person(session, person_id=person_id, user=current_user)
    proposed: dict[str, Any] = {}
    for field in PROPOSABLE:
        value = (request.form.get(field) or "").strip()
        if value:
            proposed[field] = value
    _act(
        lambda: request_change(
            session,
            person=found,
            proposed=proposed,
            reason=request.form.get("reason", ""),
            actor=current_user,
        ),
        _("The change was sent to the district for approval."),
    )
    return redirect(url_for("registry.person", person_id=found.id))


@bp.post("/changes/<int:request_id>/decide")
@login_required
def decide(request_id: int) -> ResponseReturnValue:
    session = db()
    change = session.get(PersonChangeRequest, request_id)
    if change is None or not current_user.covers(change.person.village_code):
        abort(404)
    note = request.form.get("note", "")
    if request.form.get("decision") == "approve":
        _act(
            lambda: approve_change(session, request_id=request_id, actor=current_user, note=note),
            _("The change is approved: the record has a new version."),
        )
    else:
        _act(
            lambda: refuse_change(session, request_id=request_id, actor=current_user, note=note),
            _("The change is refused: the record stays as it was."),
        )
    back = request.form.get("back")
    if back == "list":
        return redirect(url_for("registry.changes"))
    return redirect(url_for("registry.person", person_id=change.person_id))


CHANGE_SORTS = {"oldest": _l("Oldest first"), "newest": _l("Newest first")}
TIE_LABELS = {
    "id_number": N_("Same ID number"),
    "name_km": N_("Same name in Khmer and date of birth"),
    "name_latin": N_("Same name in Latin letters and date of birth"),
}


@bp.get("/registry/changes")
@login_required
def changes() -> ResponseReturnValue:
    _district_only()
    fields = [
        text_field(_l("Name or SPID")),
        commune_field(current_user),
        *date_fields(_l("Asked from"), _l("Asked until")),
        sort_field(CHANGE_SORTS),
    ]
    page = list_page(CHANGE_LIST, "registry.changes", [f for f in fields if f is not None])
    found = change_page(db(), user=current_user, listing=page.listing, now=utcnow())
    return render_template(
        "registry_changes.html", requests=found.rows, links=found, page=page, FIELDS=CHANGEABLE_FIELDS
    )


@bp.get("/registry/duplicates")
@login_required
def duplicates() -> ResponseReturnValue:
    _district_only()
    fields: list[Field | None] = [
        choice_field("tie", _l("Alike by"), TIE_LABELS),
        commune_field(current_user),
    ]
    page = list_page(DUPLICATE_LIST, "registry.duplicates", [f for f in fields if f is not None])
    found = duplicate_page(db(), user=current_user, listing=page.listing)
    return render_template("registry_duplicates.html", pairs=found.rows, links=found, page=page)


@bp.post("/registry/duplicates/merge")
@login_required
def merge() -> ResponseReturnValue:
    _district_only()
    first, second = request.form.get("first", type=int), request.form.get("second", type=int)
    survivor = request.form.get("survivor", type=int)
    if not first or not second or survivor not in (first, second):
        abort(400)
    merged = second if survivor == first else first
    _act(
        lambda: merge_people(
            db(),
            survivor_id=survivor,
            merged_id=merged,
            reason=request.form.get("reason", ""),
            actor=current_user,
        ),
        _("The two records are merged: everything follows the record kept."),
    )
    return redirect(url_for("registry.duplicates"))


@bp.post("/registry/duplicates/distinct")
@login_required
def distinct() -> ResponseReturnValue:
    _district_only()
    first, second = request.form.get("first", type=int), request.form.get("second", type=int)
    if not first or not second:
        abort(400)
    _act(
        lambda: mark_distinct(db(), first_id=first, second_id=second, actor=current_user),
        _("Noted: these are two different people."),
    )
    return redirect(url_for("registry.duplicates"))


def _district_only() -> None:
    if current_user.role not in DECIDING_ROLES:
        abort(403)


def _act(action: Callable[[], object], done: str) -> None:
    """Runs a service call: its success is flashed, a refusal rolls the request back and is flashed."""
    try:
        action()
    except InvalidInput as error:
        discard()
        for messages in error.errors.values():
            for message in messages:
                flash(_(message), "error")
    except DomainError as error:
        discard()
        flash(translated(error), "error")
    else:
        flash(done, "success")
