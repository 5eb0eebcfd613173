"""What every list page shares: reading its filters from the request or from one of the officer's saved
views, the fields of its filter bar (templates/_list.html draws them), saving and deleting views, the ids
ticked for a bulk action, and the summary of what a bulk action did."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.domain.errors import DomainError, NotFound
from webapp.domain.people import User
from webapp.domain.views import SavedView
from webapp.services.casework.bulk import BulkOutcome
from webapp.services.casework.listing import (
    DEADLINE_STATES,
    ListQuery,
    ListSpec,
    parse_list,
    parse_query_string,
)
from webapp.services.casework.queries import step_choices
from webapp.services.casework.saved_views import apply_view, delete_view, save_view, views_of
from webapp.services.correspondence.batches import communes_for
from webapp.web.errors import translated
from webapp.web.formatting import format_number
from webapp.web.i18n import gettext as _
from webapp.web.params import LARGEST_ID
from webapp.web.reference import programme_rows, reference_rows
from webapp.web.runtime import db, discard

DEADLINE_LABELS = {"on_track": _l("On track"), "at_risk": _l("At risk"), "breached": _l("Breached")}
STEP_SECONDS = 60.0
MOST_COMMUNES_LISTED = 300  # beyond this (a national reader) the commune is typed as a code


def link(endpoint: str, args: Mapping[str, Any]) -> str:
    """The address of a list page with these query parameters."""
    return url_for(endpoint, **dict(args))


@dataclass(frozen=True)
class Field:
    """One control of a filter bar: a select (with `options`), a text or a date input."""

    name: str
    label: Any  # a lazy message
    kind: str = "select"
    options: Sequence[tuple[str, str]] = ()
    hint: Any = ""
    blank: bool = True  # a select offers "Any" (a sort does not)


@dataclass
class ListPage:
    """A list as the page shows it: the parsed filters, the officer's views and the bar's fields."""

    endpoint: str
    listing: ListQuery
    fields: list[Field] = field(default_factory=list)
    views: list[SavedView] = field(default_factory=list)
    view: SavedView | None = None  # the view being applied, if any

    def url(self, **extra: str) -> str:
        """This list with its filters kept (and `extra` added): pager links, redirects after an action."""
        return link(self.endpoint, {**self.listing.args(), **extra})

    @property
    def values(self) -> dict[str, str]:
        return self.listing.args()

    @property
    def query_string(self) -> str:
        return self.listing.query_string()

    @property
    def refused_message(self) -> str:
        if not self.listing.refused:
            return ""
        labels = {f.name: f.label for f in self.fields}
        names = ", ".join(str(labels.get(name, name)) for name in self.listing.refused)
        return _("Some filters were not understood and were ignored: %(names)s", names=names)


def list_page(spec: ListSpec, endpoint: str, fields: list[Field]) -> ListPage:
    """The list's filters from the query string, or from the officer's own view named by `view`."""
    session = db()
    view, listing = None, parse_list(spec, request.args)
    view_id = request.args.get("view", "")
    if view_id:
        if not (view_id.isascii() and view_id.isdigit() and int(view_id) <= LARGEST_ID):
            abort(404)
        view, listing = apply_view(session, user=current_user, view_id=int(view_id), spec=spec)
    return ListPage(endpoint, listing, fields, views_of(session, user=current_user, spec=spec), view)


def save_current_view(lists: dict[str, tuple[ListSpec, str]]) -> ResponseReturnValue:
    """POST of the "Save this view" form: the list's name, the view's name and the current query string."""
    spec, endpoint = _list_of(lists, request.form.get("list", ""))
    query = request.form.get("query", "")[:4000]
    try:
        view = save_view(db(), user=current_user, spec=spec, name=request.form.get("name", ""), query=query)
    except DomainError as error:
        discard()
        flash(_summary_of(error), "error")
        return redirect(link(endpoint, parse_query_string(spec, query).args()))
    flash(_("View “%(name)s” saved.", name=view.name), "success")
    return redirect(url_for(endpoint, view=view.id))


def delete_saved_view(lists: dict[str, tuple[ListSpec, str]], view_id: int) -> ResponseReturnValue:
    view = delete_view(db(), user=current_user, view_id=view_id)
    spec, endpoint = _list_of(lists, view.list_name)
    flash(_("View “%(name)s” deleted.", name=view.name), "success")
    return redirect(link(endpoint, parse_query_string(spec, view.query).args()))


def _list_of(lists: dict[str, tuple[ListSpec, str]], name: str) -> tuple[ListSpec, str]:
    if name not in lists:
        raise NotFound()
    return lists[name]


def _summary_of(error: DomainError) -> str:
    errors = getattr(error, "errors", None)
    if errors:
        return " ".join(_(message) for messages in errors.values() for message in messages)
    return translated(error)


def ticked_ids(name: str) -> list[int]:
    """The ids ticked in a list (checkboxes named `name`); anything that is not an id is left out."""
    found = []
    for value in request.form.getlist(name)[:1000]:
        if value.isascii() and value.isdigit() and len(value) <= 10 and 0 < int(value) <= LARGEST_ID:
            found.append(int(value))
    return found


def back_to(spec: ListSpec, endpoint: str) -> Response:
    """After a bulk action, the list again with the filters it was showing (re-parsed, never trusted)."""
    return redirect(link(endpoint, parse_query_string(spec, request.form.get("back", "")).args()))


def bulk(
    spec: ListSpec,
    endpoint: str,
    ids_name: str,
    action: Callable[[list[int]], BulkOutcome],
    done_message: str,
) -> ResponseReturnValue:
    """Runs a bulk action on the ticked ids and says what happened: "3 claimed, 1 already taken"."""
    ids = ticked_ids(ids_name)
    if not ids:
        flash(_("Tick at least one row first."), "error")
        return back_to(spec, endpoint)
    try:
        outcome = action(ids)
    except DomainError as error:
        discard()
        flash(_summary_of(error), "error")
        return back_to(spec, endpoint)
    flash(bulk_summary(outcome, done_message), "success" if not outcome.refused else "warning")
    return back_to(spec, endpoint)


def bulk_summary(outcome: BulkOutcome, done_message: str) -> str:
    parts = [_(done_message, count=format_number(outcome.done))]
    for summary, reason, count in outcome.refused:
        parts.append(_(summary, count=format_number(count), reason=_(reason)))
    return ", ".join(parts)


# The filter bar's fields, shared by the lists that have them.


def text_field(label: Any, hint: Any = "") -> Field:
    return Field("q", label, "text", hint=hint)


def commune_field(user: User) -> Field | None:
    """None for an officer of one commune (or village): there is nothing to choose."""
    if len(user.scope_code) >= 6:
        return None
    communes = (
        reference_rows(
            ("communes", user.scope_code),
            lambda: [(a.code, a.name_km, a.name_latin) for a in communes_for(db(), user=user)],
        )
        if len(user.scope_code) >= 2
        else ()
    )
    if not communes or len(communes) > MOST_COMMUNES_LISTED:
        return Field("commune", _l("Commune code"), "text", hint=_l("6 digits, e.g. 170101"))
    khmer = str(get_locale()) == "km"
    return Field("commune", _l("Commune"), options=[(c, km if khmer else latin) for c, km, latin in communes])


def programme_field() -> Field:
    options = [(code, _(name)) for code, name in programme_rows(db())]
    return Field("programme", _l("Programme"), options=options)


def step_field(user: User) -> Field:
    """The steps at which the area has open work, read at most once a minute per area and process: every
    list page offers them, and a step that just gained or lost its work is offered a minute late at most."""
    steps = reference_rows(("steps", user.scope_code), lambda: step_choices(db(), user=user), STEP_SECONDS)
    return Field("step", _l("Step"), options=[(code, _(name)) for code, name in steps])


def deadline_field(states: Sequence[str] = DEADLINE_STATES) -> Field:
    return Field("sla", _l("Deadline"), options=[(state, str(DEADLINE_LABELS[state])) for state in states])


def choice_field(name: str, label: Any, labels: dict[str, str]) -> Field:
    return Field(name, label, options=[(value, _(text)) for value, text in labels.items()])


def date_fields(first: Any = None, last: Any = None) -> list[Field]:
    return [Field("from", first or _l("From"), "date"), Field("to", last or _l("To"), "date")]


def sort_field(labels: dict[str, Any]) -> Field:
    options = [(key, str(label)) for key, label in labels.items()]
    return Field("sort", _l("Sort by"), options=options, blank=False)


TASK_SORTS = {"due": _l("Due first"), "oldest": _l("Oldest first")}


def task_fields(states: Sequence[str] = DEADLINE_STATES) -> list[Field]:
    """The filter bar of a task list (the inbox, the deadline page)."""
    fields = [
        text_field(_l("Case reference or name")),
        commune_field(current_user),
        programme_field(),
        step_field(current_user),
        deadline_field(states),
        *date_fields(_l("Arrived from"), _l("Arrived until")),
        sort_field(TASK_SORTS),
    ]
    return [field for field in fields if field is not None]
