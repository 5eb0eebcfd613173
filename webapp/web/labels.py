"""English message ids for the stored codes shown on pages (statuses, outcomes, kinds)."""

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from flask import g
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.domain.areas import Area
from webapp.domain.cases import Outcome
from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.grievances import CATEGORIES, CHANNELS, DECISIONS, STATUSES
from webapp.domain.letters import LETTER_TYPES
from webapp.domain.messages import N_
from webapp.domain.people import ROLES
from webapp.domain.workflows import WorkflowVersion
from webapp.forms import FieldSpec, FormSpec
from webapp.letters.khmer import digits as khmer_digits
from webapp.web.formatting import format_number
from webapp.web.i18n import gettext as _
from webapp.web.reference import reference_rows
from webapp.web.runtime import db, runtime

DOCUMENT_KIND_LABELS = {
    "family_book": _l("Family book"),
    "birth_certificate": _l("Birth certificate"),
    "id_card": _l("ID card"),
    "other": _l("Other document"),
}
# Message ids of the statuses and outcomes, which list rows translate through the request's catalog
# (web/cells.py), and their lazy labels for everything else.
STATUS_MESSAGES = {
    "open": N_("Open"),
    "closed": N_("Closed"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}
STATUS_LABELS = {code: _l(message) for code, message in STATUS_MESSAGES.items()}
OUTCOME_MESSAGES: dict[str, str] = {Outcome.APPROVED: N_("Approved"), Outcome.REJECTED: N_("Rejected")}
OUTCOME_LABELS: dict[str, object] = {code: _l(message) for code, message in OUTCOME_MESSAGES.items()}
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
        "area_label": area_label,
        "process_label": process_label,
        "calendar_label": calendar_label,
        "timezone_label": timezone_label,
        "modeler_labels": modeler_labels,
        "element_kind_label": element_kind_label,
        "decision_label": decision_label,
        "diagram_name": diagram_name,
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
    "employer_number": _l("Employer number"),
    "registration_number": _l("Business registration number"),
    "member_number": _l("Member number"),
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
    "channel": _l("Received through"),
    "category": _l("Category"),
    "level": _l("Level"),
    "to": _l("Sent to"),
    "from": _l("From"),
    "by_breach": _l("Sent up after the deadline"),
    "version": _l("Version"),
    "status": _l("Status"),
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
    "channel": CHANNELS,
    "category": CATEGORIES,
    "decision": DECISIONS,
    "status": STATUSES,
}
ROLE_VALUED = frozenset({"role", "to"})  # details whose value is a role (a grievance is sent "to" a role)
HIDDEN_DETAILS = frozenset({"documents", "sha256", "document", "family_book", "birth_certificate", "id_card"})


def event_details(values: Mapping[str, Any], forms: Mapping[str, FormSpec]) -> list[tuple[str, str]]:
    """A timeline event's stored values as (label, value) pairs in the reader's language."""
    fields = _fields_by_name(forms)
    rows = []
    for key, value in values.items():
        if key in HIDDEN_DETAILS or value in (None, "") or isinstance(value, dict | list):
            continue
        same_name = fields.get(key, [])
        # Several forms may share a field name (a "decision"): the one whose choices hold the value speaks.
        field = next((f for f in same_name if any(c.value == str(value) for c in f.choices)), None)
        field = field or (same_name[0] if same_name else None)
        known = DETAIL_LABELS.get(key)  # a lazy label: translated once, when shown
        label = str(known) if known is not None else (_(field.label) if field else key)
        rows.append((label, _display(key, value, field)))
    return rows


_FIELD_INDEX: list[tuple[Mapping[str, FormSpec], dict[str, list[FieldSpec]]]] = []


def _fields_by_name(forms: Mapping[str, FormSpec]) -> dict[str, list[FieldSpec]]:
    """Every form's fields by name, built once for the app's forms (loaded at start, never changed) rather
    than for each event of a timeline."""
    if _FIELD_INDEX and _FIELD_INDEX[0][0] is forms:
        return _FIELD_INDEX[0][1]
    fields: dict[str, list[FieldSpec]] = {}
    for form in forms.values():
        for spec in form.fields:
            fields.setdefault(spec.name, []).append(spec)
    _FIELD_INDEX[:] = [(forms, fields)]
    return fields


IDENTIFIERS = frozenset({"employer_number", "registration_number", "member_number", "id_number"})


def _display(key: str, value: Any, field: FieldSpec | None) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "programme":
        return next((_(info.name) for info in PROGRAMMES if info.code == value), str(value))
    if key in ROLE_VALUED and value in ROLES:
        return _(ROLES[value].label)
    if key in VALUE_LABELS and value in VALUE_LABELS[key]:
        return _(str(VALUE_LABELS[key][value]))
    if key in IDENTIFIERS:  # in the reader's digits, as the pages print them (never translated)
        return khmer_digits(str(value)) if str(get_locale()) == "km" else str(value)
    if isinstance(value, int | float):
        return format_number(value)
    if field is not None and field.choices:
        return next((_(choice.label) for choice in field.choices if choice.value == str(value)), str(value))
    return _(value) if isinstance(value, str) else str(value)


# The stored calendars (migration 0004) and the time zone they count in, named for the reader.
CALENDAR_LABELS = {"government": _l("Government offices"), "nssf": _l("NSSF counters")}
TIMEZONE_LABELS = {"Asia/Phnom_Penh": _l("Cambodia time (UTC+7)")}
# What the modeler's panel calls each kind of element.
ELEMENT_TYPE_LABELS = {
    "UserTask": _l("User task"),
    "ScriptTask": _l("Script task"),
    "ServiceTask": _l("Service task"),
    "Task": _l("Task"),
    "CallActivity": _l("Call activity"),
    "SubProcess": _l("Subprocess"),
    "StartEvent": _l("Start event"),
    "EndEvent": _l("End event"),
    "IntermediateCatchEvent": _l("Waiting event"),
    "IntermediateThrowEvent": _l("Event"),
    "BoundaryEvent": _l("Boundary event"),
    "ExclusiveGateway": _l("Exclusive gateway"),
    "ParallelGateway": _l("Parallel gateway"),
    "InclusiveGateway": _l("Inclusive gateway"),
    "EventBasedGateway": _l("Event-based gateway"),
    "SequenceFlow": _l("Flow"),
    "BusinessRuleTask": _l("Decision table task"),
    "Participant": _l("Pool"),
    "DataObjectReference": _l("Data object"),
    "TextAnnotation": _l("Note"),
    "Lane": _l("Lane"),
}
_NAME_ATTRIBUTE = re.compile(r'\bname="([^"]*)"')
_DECISION_NAME = re.compile(r'<(?:\w+:)?decision\b[^>]*\bname="([^"]*)"')


def area_label(code: str | None) -> str:
    """An area by its name in the reader's language (the code itself when the gazetteer lacks it); the names
    are kept per process with the rest of the gazetteer (web/reference.py), not asked once per row."""
    if not code:
        return ""
    found = reference_rows(("area", code), lambda: _area_names(code))
    if not found:
        return code
    name_km, name_latin = found[0]
    return name_km if str(get_locale()) == "km" else name_latin


def _area_names(code: str) -> list[tuple[str, ...]]:
    area = db().get(Area, code)
    return [(area.name_km, area.name_latin)] if area else []


def process_label(process_id: str) -> str:
    """A process by the name of its newest version, in the reader's language. The names of every process
    are read once per request (a report names a process on each of its rows)."""
    names: dict[str, str] | None = g.get("sala_process_names")
    if names is None:
        versions = db().execute(
            select(WorkflowVersion.process_id, WorkflowVersion.name).order_by(WorkflowVersion.version)
        )
        names = g.sala_process_names = {found_id: name for found_id, name in versions}
    name = names.get(process_id)
    return _(name) if name else process_id


def calendar_label(name: str) -> str:
    return str(CALENDAR_LABELS[name]) if name in CALENDAR_LABELS else name


def timezone_label(zone: str) -> str:
    return str(TIMEZONE_LABELS[zone]) if zone in TIMEZONE_LABELS else zone


def diagram_xml(source: Any) -> str:
    """The BPMN of a draft or of a published version (its .bpmn files)."""
    if isinstance(getattr(source, "bpmn_xml", None), str):
        return str(source.bpmn_xml)
    files = json.loads(source.files_json or "{}")
    return "\n".join(text for name, text in files.items() if name.endswith(".bpmn"))


def decision_label(version: Any, file_name: str) -> str:
    """A decision table of a version by its translated name (its file name when it has none)."""
    files = json.loads(version.files_json or "{}")
    found = _DECISION_NAME.search(files.get(file_name, ""))
    return _(html.unescape(found.group(1))) if found else file_name


def element_kind_label(kind: str) -> str:
    """A BPMN tag (userTask, bpmn:UserTask) as the reader calls that kind of element."""
    bare = kind.removeprefix("bpmn:")
    bare = bare[:1].upper() + bare[1:]
    return str(ELEMENT_TYPE_LABELS[bare]) if bare in ELEMENT_TYPE_LABELS else kind


def diagram_name(name: str) -> str:
    """An element's name as the reader reads it: a lane by its role, a step by its catalog translation."""
    return _(ROLES[name].label) if name in ROLES else (_(name) if name else "")


def modeler_labels(source: Any = None) -> dict[str, dict[str, str]]:
    """The labels the diagram page hands to modeler.js: roles (lane names), forms, letters, calendars and
    element kinds in the reader's language; `names`: each name of the diagram in the reader's language, and
    `khmer`: in Khmer, for the "show in Khmer" view (lanes by their role's label)."""
    forms = runtime().forms
    labels = {
        "roles": {name: _(role.label) for name, role in ROLES.items()},
        "forms": {key: _(spec.title) for key, spec in forms.items()},
        "letters": {key: _(label) for key, label in LETTER_TYPES.items()},
        "calendars": {name: str(label) for name, label in CALENDAR_LABELS.items()},
        "types": {kind: str(label) for kind, label in ELEMENT_TYPE_LABELS.items()},
        "names": {},
        "khmer": {},
    }
    if source is not None:
        names = sorted({html.unescape(found) for found in _NAME_ATTRIBUTE.findall(diagram_xml(source))})
        labels["names"] = _translated(names)
        with force_locale("km"):
            labels["khmer"] = _translated(names)
    return labels


def _translated(names: list[str]) -> dict[str, str]:
    return {name: shown for name in names if name and (shown := diagram_name(name)) != name}
