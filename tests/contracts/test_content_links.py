"""Files are linked by name; these checks fail when a link breaks or a message has no Khmer translation."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.domain import errors
from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.history import EVENT_KINDS
from webapp.domain.people import ROLES
from webapp.engine import ProcessEngine
from webapp.engine.messages import translatable_strings as workflow_strings
from webapp.forms import translatable_strings as form_strings
from webapp.services.processes.content_check import catalog_problems, workflow_problems

ROOT = Path(__file__).resolve().parent.parent.parent
KHMER = ROOT / "locales" / "km" / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def khmer() -> dict[str, str]:
    with KHMER.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_khmer_catalog_has_no_empty_or_fuzzy_entry():
    assert catalog_problems(KHMER) == []


def test_every_lane_is_a_role_and_every_form_key_has_a_form():
    assert workflow_problems(ROOT / "workflows", ROOT / "forms") == []


def test_process_id_is_the_file_name():
    for deployed in ProcessEngine().read_directory(ROOT / "workflows"):
        assert f"{deployed.process_id}.bpmn" in deployed.files


def _domain_messages() -> set[str]:
    messages = {role.label for role in ROLES.values()} | set(EVENT_KINDS.values())
    for info in PROGRAMMES:
        messages |= {info.name, info.family, info.rule}
    error_classes = [value for value in vars(errors).values() if isinstance(value, type)]
    messages |= {cls.message for cls in error_classes if issubclass(cls, errors.DomainError)}
    return messages


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(lambda: workflow_strings(ROOT / "workflows"), id="workflow task names and DMN reasons"),
        pytest.param(lambda: form_strings(ROOT / "forms"), id="form labels and choices"),
        pytest.param(_domain_messages, id="roles, events, programmes and errors"),
    ],
)
def test_every_message_shown_at_run_time_is_translated_to_khmer(khmer, source):
    messages = source()
    assert messages, "the source yielded nothing to check"
    missing = sorted(message for message in messages if not khmer.get(message))
    assert missing == []


def test_khmer_translations_keep_their_placeholders(khmer):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = [
        mid
        for mid, text in khmer.items()
        if sorted(placeholder.findall(mid)) != sorted(placeholder.findall(text))
    ]
    assert wrong == []
