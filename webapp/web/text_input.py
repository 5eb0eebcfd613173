"""The one door for text from outside: every form value, query value and JSON string loses its bidirectional
controls and other invisible format characters (webapp.domain.text.clean_text) before any view reads it."""

from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

from webapp.domain.text import clean_text


def _clean_multidict(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        [(clean_text(key), clean_text(value)) for key, value in values.items(multi=True)]
    )


def clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    if isinstance(value, dict):
        return {
            clean_text(key) if isinstance(key, str) else key: clean_json(item) for key, item in value.items()
        }
    return value


class CleanRequest(Request):
    """Flask's request, with text cleaned as it is parsed (files are left to the documents service)."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _clean_multidict(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return _clean_multidict(super().args)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        return clean_json(super().get_json(force=force, silent=silent, cache=cache))
