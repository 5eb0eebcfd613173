"""Running a service call for a submitted form: a refusal rolls the request back and is shown."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from webapp.domain.errors import DomainError, InvalidInput
from webapp.web.errors import translated
from webapp.web.runtime import discard

Result = TypeVar("Result")


def attempt(form: FlaskForm, action: Callable[[], Result]) -> Result | None:
    """The action's result, or None once field errors sit beside their fields or the refusal is flashed."""
    try:
        return action()
    except InvalidInput as error:
        discard()
        attach_errors(form, error)
    except DomainError as error:
        discard()
        flash(translated(error), "error")
    return None


def attach_errors(form: FlaskForm, error: InvalidInput) -> None:
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, *(_(message) for message in messages)]
