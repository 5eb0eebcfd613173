"""Builds a Flask-WTF form class from a FormSpec, with Sala's translated messages on every validator."""

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from webapp.forms import FieldSpec, FormSpec, cross_field_errors
from webapp.services.casework.documents import Upload

KHMER_NAME = re.compile(r"^[\u1780-\u17FF\u19E0-\u19FF\u200B\u200C\u200D ]+$")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")
ID_NUMBER = re.compile(r"^[A-Za-z0-9\-/]{3,30}$")
PHONE = re.compile(r"^\+?[0-9 ]{8,16}$")

Choices = Mapping[str, Sequence[tuple[str, str]]]


class SalaDateField(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter a valid date.")) from error


class SalaIntegerField(IntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter a whole number.")) from error


class SalaSelectField(SelectField):
    def pre_validate(self, form: Any) -> None:
        if self.data in (None, "") and not self.flags.required:
            return
        if self.data not in {str(value) for value, _label in self.choices or ()}:
            raise ValidationError(_("Choose a value from the list."))


class SalaFileField(FileField):
    """Holds the uploaded file; type and size are checked by the documents service on the bytes."""


def _required(spec: FieldSpec) -> list[Any]:
    if spec.required and spec.type != "boolean":
        return [DataRequired(_l("This field is required."))]
    return [Optional()]


def _text_validators(spec: FieldSpec) -> list[Any]:
    validators = [
        Length(
            min=spec.min_length or 0,
            max=spec.max_length or 200,
            message=_l("The text must be between %(min)d and %(max)d characters."),
        )
    ]
    patterns = {
        "khmer_name": (KHMER_NAME, _l("Write the name in Khmer script.")),
        "latin_name": (LATIN_NAME, _l("Write the name in Latin letters.")),
        "id_number": (ID_NUMBER, _l("Use 3 to 30 letters, digits, dashes or slashes.")),
        "phone": (PHONE, _l("Enter a phone number of 8 to 16 digits.")),
    }
    if spec.type in patterns:
        pattern, message = patterns[spec.type]
        validators.append(Regexp(pattern, message=message))
    return validators


def _field(spec: FieldSpec, choices: Choices) -> Field:
    label = _l(spec.label)
    description = _l(spec.help) if spec.help else ""
    validators = _required(spec)
    if spec.type == "boolean":
        return BooleanField(label, description=description)
    if spec.type == "date":
        return SalaDateField(label, validators=validators, description=description)
    if spec.type == "number":
        limits = NumberRange(
            min=spec.min, max=spec.max, message=_l("Enter a number between %(min)s and %(max)s.")
        )
        return SalaIntegerField(label, validators=[*validators, limits], description=description)
    if spec.type == "choice":
        options = (
            choices.get(spec.choices_from or "", ())
            if spec.choices_from
            else [(choice.value, _l(choice.label)) for choice in spec.choices]
        )
        return SalaSelectField(
            label, validators=validators, choices=[("", "—"), *options], description=description
        )
    if spec.type == "file":
        return SalaFileField(label, validators=validators, description=description)
    kind = TextAreaField if spec.type == "textarea" else StringField
    return kind(label, validators=[*validators, *_text_validators(spec)], description=description)


def build_form(spec: FormSpec, *, choices: Choices, today: date, prefix: str = "") -> FlaskForm:
    """A form instance bound to the request; `validate()` also applies the spec's cross-field rules."""

    class SpecForm(FlaskForm):
        def validate(self, extra_validators: Any = None) -> bool:
            valid = super().validate(extra_validators)
            for name, messages in cross_field_errors(spec, self.data, today).items():
                getattr(self, name).errors = [*getattr(self, name).errors, *(_(m) for m in messages)]
                valid = False
            return valid

    for field_spec in spec.fields:
        setattr(SpecForm, field_spec.name, _field(field_spec, choices))
    return SpecForm(prefix=prefix)


def plain_data(spec: FormSpec, form: FlaskForm) -> dict[str, Any]:
    """The submitted values as JSON-safe data for the engine (dates as ISO text, files left out)."""
    data: dict[str, Any] = {}
    for field_spec in spec.fields:
        if field_spec.type == "file":
            continue
        value = getattr(form, field_spec.name).data
        data[field_spec.name] = value.isoformat() if isinstance(value, date) else value
    return data


def uploads_from(spec: FormSpec, form: FlaskForm, *, kind: str | None = None) -> list[Upload]:
    """The files chosen in the form's file fields; `kind` names the document when the form asks for it."""
    uploads = []
    for field_spec in spec.file_fields:
        storage = getattr(form, field_spec.name).data
        if isinstance(storage, FileStorage) and storage.filename:
            uploads.append(
                Upload(
                    field=field_spec.name,
                    kind=kind or field_spec.name,
                    filename=storage.filename,
                    content=storage.read(),
                )
            )
    return uploads
