"""English message ids for the stored codes shown on pages (statuses, outcomes, kinds)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.people import ROLES
from webapp.forms import FieldSpec, FormSpec

DOCUMENT_KIND_LABELS = {
    "family_book": _l("Family book"),
    "birth_certificate": _l("Birth certificate"),
    "id_card": _l("ID card"),
    "other": _l("Other document"),
}
STATUS_LABELS = {
    "open": _l("Open"),
    "closed": _l("Closed"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
OUTCOME_LABELS = {"approved": _l("Approved"), "rejected": _l("Rejected")}
SEX_LABELS = {"female": _l("Female"), "male": _l("Male")}
EQUITY_CARD_LABELS = {
    "none": _l("No equity card"),
    "poor_1": _l("Poor level 1"),
    "poor_2": _l("Poor level 2"),
    "at_risk": _l("At-risk household"),
}
ID_KIND_LABELS = {"national_id": _l("National ID card"), "family_book": _l("Family book")}
LETTER_LANGUAGE_LABELS = {
    "km": _l("Khmer"),
    "en": _l("English"),
    "both": _l("Khmer and English side by side"),
}
SECTOR_LABELS = {
    "social_affairs": _l("Social affairs"),
    "health": _l("Health"),
    "education": _l("Education"),
    "labour": _l("Labour"),
    "rural_development": _l("Rural development"),
}


def label_globals() -> dict[str, object]:
    return {
        "DOCUMENT_KIND_LABELS": DOCUMENT_KIND_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "SEX_LABELS": SEX_LABELS,
        "EQUITY_CARD_LABELS": EQUITY_CARD_LABELS,
        "ID_KIND_LABELS": ID_KIND_LABELS,
        "LETTER_LANGUAGE_LABELS": LETTER_LANGUAGE_LABELS,
        "SECTOR_LABELS": SECTOR_LABELS,
    }


DETAIL_LABELS = {
    "applicant": _l("Applicant"),
    "programme": _l("Programme"),
    "kind": _l("Document"),
    "file": _l("File"),
    "role": _l("Role"),
    "assignee": _l("Held by"),
    "eligible": _l("Eligible"),
    "reason": _l("Reason"),
    "deadline": _l("Deadline"),
    "clock": _l("Clock"),
    "outcome": _l("Outcome"),
    "outcome_reason": _l("Reason"),
    "age": _l("Age of the applicant"),
    "sector": _l("Sector"),
    "resubmitted_from": _l("Resubmitted from"),
    "grievance": _l("Grievance"),
    "case": _l("Case"),
    "letter": _l("Letter"),
    "type": _l("Type"),
    "sha256": _l("SHA-256"),
    "delivered_on": _l("Delivered on"),
    "how": _l("How"),
}
VALUE_LABELS = {
    "kind": DOCUMENT_KIND_LABELS,
    "document_kind": DOCUMENT_KIND_LABELS,
    "outcome": OUTCOME_LABELS,
    "sex": SEX_LABELS,
    "equity_card": EQUITY_CARD_LABELS,
    "sector": SECTOR_LABELS,
    "id_kind": ID_KIND_LABELS,
    "clock": {"application": _l("Whole application")},
}
HIDDEN_DETAILS = frozenset({"documents", "sha256", "document", "family_book", "birth_certificate", "id_card"})


def event_details(values: Mapping[str, Any], forms: Mapping[str, FormSpec]) -> list[tuple[str, str]]:
    """A timeline event's stored values as (label, value) pairs in the reader's language."""
    fields: dict[str, list[FieldSpec]] = {}
    for form in forms.values():
        for spec in form.fields:
            fields.setdefault(spec.name, []).append(spec)
    rows = []
    for key, value in values.items():
        if key in HIDDEN_DETAILS or value in (None, "") or isinstance(value, dict | list):
            continue
        same_name = fields.get(key, [])
        # Several forms may share a field name (a "decision"): the one whose choices hold the value speaks.
        field = next((f for f in same_name if any(c.value == str(value) for c in f.choices)), None)
        field = field or (same_name[0] if same_name else None)
        label = DETAIL_LABELS.get(key) or (_(field.label) if field else key)
        rows.append((str(label), _display(key, value, field)))
    return rows


def _display(key: str, value: Any, field: FieldSpec | None) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "programme":
        return next((_(info.name) for info in PROGRAMMES if info.code == value), str(value))
    if key == "role" and value in ROLES:
        return _(ROLES[value].label)
    if key in VALUE_LABELS and value in VALUE_LABELS[key]:
        return str(VALUE_LABELS[key][value])
    if field is not None and field.choices:
        return next((_(choice.label) for choice in field.choices if choice.value == str(value)), str(value))
    return _(value) if isinstance(value, str) else str(value)
