"""Reads forms/*.yaml into FormSpec values and validates submitted data against them (no web code here)."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from webapp.domain.messages import N_

FIELD_TYPES = frozenset(
    {
        "text",
        "textarea",
        "khmer_name",
        "latin_name",
        "date",
        "choice",
        "number",
        "id_number",
        "phone",
        "file",
        "boolean",
    }
)
# Field types whose values are built from data at request time rather than listed in the YAML.
DYNAMIC_CHOICES = frozenset({"programmes", "villages", "document_kinds"})


class FormDefinitionError(ValueError):
    """A forms/*.yaml file that does not follow the format; raised at load time, never at request time."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # English message id


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    required: bool = False
    help: str | None = None
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    min_length: int | None = None
    required_if: tuple[tuple[str, str], ...] = ()  # required when another field has this value
    not_in_future: bool = False
    section: str | None = None


@dataclass(frozen=True)
class FormSpec:
    key: str
    title: str
    description: str | None
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def file_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.type == "file")


def load_form(path: Path) -> FormSpec:
    return _parse(path.name, yaml.safe_load(path.read_text(encoding="utf-8")))


def _parse(filename: str, raw: Any) -> FormSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), list):
        raise FormDefinitionError(f"{filename}: a form needs a mapping with a 'fields' list")
    fields = tuple(_field(filename, item) for item in raw["fields"])
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise FormDefinitionError(f"{filename}: field names must be unique")
    key = Path(filename).stem
    return FormSpec(
        key=key, title=str(raw.get("title", key)), description=raw.get("description"), fields=fields
    )


def load_forms(directory: Path) -> dict[str, FormSpec]:
    return {path.stem: load_form(path) for path in sorted(directory.glob("*.yaml"))}


def _field(filename: str, item: Mapping[str, Any]) -> FieldSpec:
    try:
        name, kind, label = str(item["name"]), str(item["type"]), str(item["label"])
    except (KeyError, TypeError) as error:
        raise FormDefinitionError(f"{filename}: every field needs name, type and label") from error
    if kind not in FIELD_TYPES:
        raise FormDefinitionError(f"{filename}: field {name} has unknown type {kind}")
    choices = tuple(Choice(str(c["value"]), str(c["label"])) for c in item.get("choices", ()))
    choices_from = item.get("choices_from")
    if choices_from is not None and choices_from not in DYNAMIC_CHOICES:
        raise FormDefinitionError(f"{filename}: field {name} has unknown choices_from {choices_from}")
    if kind == "choice" and not choices and choices_from is None:
        raise FormDefinitionError(f"{filename}: choice field {name} needs choices or choices_from")
    return FieldSpec(
        name=name,
        type=kind,
        label=label,
        required=bool(item.get("required", False)),
        help=item.get("help"),
        choices=choices,
        choices_from=choices_from,
        min=item.get("min"),
        max=item.get("max"),
        max_length=item.get("max_length", 2000 if kind == "textarea" else 200),
        min_length=item.get("min_length"),
        required_if=tuple((str(k), str(v)) for k, v in (item.get("required_if") or {}).items()),
        not_in_future=bool(item.get("not_in_future", False)),
        section=item.get("section"),
    )


def required_now(spec: FieldSpec, data: Mapping[str, Any]) -> bool:
    """Whether a field must have a value, given the rest of the submitted data."""
    return spec.required or any(str(data.get(other)) == value for other, value in spec.required_if)


def cross_field_errors(form: FormSpec, data: Mapping[str, Any], today: date) -> dict[str, list[str]]:
    """The checks WTForms does not know: conditional requirements and dates in the future."""
    errors: dict[str, list[str]] = {}
    for spec in form.fields:
        value = data.get(spec.name)
        if spec.required_if and required_now(spec, data) and value in (None, "", b""):
            errors.setdefault(spec.name, []).append(N_("This field is required."))
        if spec.not_in_future and isinstance(value, date) and value > today:
            errors.setdefault(spec.name, []).append(N_("The date cannot be in the future."))
    return errors


def translatable_strings(directory: Path) -> set[str]:
    """Every label, help text, choice label and title in forms/, for the catalog contract."""
    return set(_strings(load_forms(directory).values()))


def _strings(forms: Any) -> Iterator[str]:
    for form in forms:
        yield form.title
        if form.description:
            yield form.description
        for spec in form.fields:
            yield spec.label
            if spec.help:
                yield spec.help
            if spec.section:
                yield spec.section
            yield from (choice.label for choice in spec.choices)


def extract_forms(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel extractor for forms/*.yaml: every translatable string, with the line it first appears on."""
    text = fileobj.read().decode("utf-8")
    form = _parse(getattr(fileobj, "name", "form.yaml"), yaml.safe_load(text))
    lines = text.splitlines()
    for message in dict.fromkeys(_strings([form])):
        lineno = next((n for n, line in enumerate(lines, start=1) if message in line), 1)
        yield lineno, None, message, []
