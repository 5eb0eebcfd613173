"""The small pieces of HTML every list row repeats (an instant, an age, a status or outcome badge, a person's
names, a deadline badge), written as Python functions that templates call like the macros they replace: a
page lists up to 50 rows of each list, and a Jinja macro call costs several times a function call.

Each returns Markup built the way the template did: the translations are markup (as `_()` marks them), every
value is escaped into it (Markup.format and %), so the page's HTML is the same byte for byte."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from markupsafe import Markup, escape

from webapp.domain.messages import N_
from webapp.web.formatting import datetime_text, format_number, reader_locale, timedelta_text
from webapp.web.i18n import markup_gettext, request_catalog
from webapp.web.labels import OUTCOME_MESSAGES, STATUS_MESSAGES

EMPTY = Markup("")
_SLA_CLASSES = {"at_risk": " sla-at-risk", "breached": " sla-overdue"}
_SLA_LABELS = {"at_risk": N_("At risk"), "breached": N_("Breached")}


class Named(Protocol):
    name_km: str
    name_latin: str


def when(value: datetime | None, locale: str | None = None) -> Markup:
    """An instant as a <time> in the reader's short form (nothing when there is none); a table passes the
    reader's `locale` it looked up once."""
    if not value:
        return EMPTY
    shown = datetime_text(value, "short", locale=locale or reader_locale())
    return _markup(f'<time datetime="{escape(value.isoformat())}Z">{escape(shown)}</time>')


def age(now: datetime, value: datetime, locale: str | None = None) -> Markup:
    """How long ago, to the minute: "3 days"."""
    locale = locale or reader_locale()
    return escape(timedelta_text(now - value, locale=locale, granularity="minute", threshold=1.0))


def status_badge(value: str) -> Markup:
    return _markup(
        f'<span class="badge badge-{escape(value)}">{escape(_translated(STATUS_MESSAGES, value))}</span>'
    )


def outcome_badge(value: str | None) -> Markup:
    if not value:
        return EMPTY
    return _markup(
        f'<span class="badge badge-{escape(value)}">{escape(_translated(OUTCOME_MESSAGES, value))}</span>'
    )


def person_name(person: Named) -> Markup:
    """The Khmer name, then the Latin one in brackets."""
    latin = escape(person.name_latin)
    return _markup(f'<span lang="km">{escape(person.name_km)}</span> <span class="muted">({latin})</span>')


def sla_badge(
    view: Any,
    *,
    gettext: Callable[..., Markup] = markup_gettext,
    number: Callable[[int], str] = format_number,
) -> Markup:
    """A task's deadline state (a deadlines.due_times.SlaView): working days and hours left, or overdue.
    A table passes its own `gettext` and `number`, which keep what every row asks."""
    if not view:
        return EMPTY
    label = gettext(_SLA_LABELS.get(view.status, N_("On track")))
    days, hours = number(view.days), number(view.hours)
    if view.overdue:
        text = gettext(N_("overdue %(days)s d %(hours)s h"), days=days, hours=hours)
    else:
        text = gettext(N_("%(days)s d %(hours)s h left"), days=days, hours=hours)
    css, status = _SLA_CLASSES.get(view.status, ""), escape(view.status)
    return _markup(f'<span class="sla{css}" title="{label}" data-sla="{status}">{text}</span>')


def _markup(html: str) -> Markup:
    """HTML built above from translations (markup) and escaped values."""
    return Markup(html)  # noqa: S704 - every value in it went through escape


def _translated(messages: dict[str, str], value: str) -> str:
    """A stored code's label in the reader's language; a code without one shows as itself."""
    message = messages.get(value)
    return request_catalog().ugettext(message) if message else value


def cell_globals() -> dict[str, object]:
    """Registered for the templates; _macros.html and _sla.html hand them out under the macros' names."""
    return {
        "cell_when": when,
        "cell_age": age,
        "cell_status_badge": status_badge,
        "cell_outcome_badge": outcome_badge,
        "cell_person_name": person_name,
        "cell_sla_badge": sla_badge,
    }
