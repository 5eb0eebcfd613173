"""The words of a message in its reader's language, from the Babel catalogs in locales/ (no Flask here)."""

import threading
from functools import cache
from typing import Any

from babel.support import NullTranslations, Translations

from webapp.domain.notifications import EMAIL_SUBJECT, LETTER_READY_TEXT, NOTIFICATION_TEXTS
from webapp.settings import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "locales"
LANGUAGES = ("km", "en")
DEFAULT_LANGUAGE = "km"
_LOCK = threading.Lock()


@cache
def _translations(language: str) -> NullTranslations:
    with _LOCK:
        return Translations.load(str(LOCALES_DIR), [language], "messages")


def language_of(choice: str | None) -> str:
    """An officer's or a letter's language as a catalog language: a bilingual letter reads Khmer first."""
    return choice if choice in LANGUAGES else DEFAULT_LANGUAGE


def translate(message_id: str, language: str, **params: Any) -> str:
    text = _translations(language_of(language)).gettext(message_id)
    return text % params if params else text


def notification_text(kind: str, language: str, *, task_name: str, reference: str) -> str:
    """What a notification says; the task's name is a message id of its own (from the BPMN)."""
    task = translate(task_name, language) if task_name else ""
    return translate(NOTIFICATION_TEXTS[kind], language, task=task, reference=reference)


def email_subject(language: str, *, reference: str) -> str:
    return translate(EMAIL_SUBJECT, language, reference=reference)


def letter_ready_text(language: str, *, reference: str) -> str:
    return translate(LETTER_READY_TEXT, language, reference=reference)
