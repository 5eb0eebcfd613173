"""Cross-file checks of Sala's content: forms, lanes and the Khmer catalog agree with each other."""

from pathlib import Path

from babel.messages.pofile import read_po

from webapp.domain.people import ROLES
from webapp.forms import load_forms
from webapp.services.deadlines.calendars import create_process_engine


def catalog_problems(po_path: Path) -> list[str]:
    """Every message must be translated and not fuzzy: an empty Khmer entry shows English to officers."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"{po_path}: no translation for {message.id!r}")
        elif message.fuzzy:
            problems.append(f"{po_path}: fuzzy translation for {message.id!r}")
    return problems


def workflow_problems(workflows_dir: Path, forms_dir: Path) -> list[str]:
    """Every lane is a role and every formKey names a file in forms/."""
    forms = load_forms(forms_dir)
    problems = []
    for deployed in create_process_engine().read_directory(workflows_dir):
        for task in deployed.user_tasks:
            if task.lane not in ROLES:
                problems.append(
                    f"{deployed.process_id}: task {task.spec_name} is in unknown lane {task.lane!r}"
                )
            if task.form_key not in forms:
                problems.append(
                    f"{deployed.process_id}: task {task.spec_name} has unknown form {task.form_key!r}"
                )
    return problems


# English is the source language: its catalog may leave entries empty, gettext then shows the message id.
COMPLETE_LOCALES = ("km",)


def content_problems(workflows_dir: Path, forms_dir: Path, locales_dir: Path) -> list[str]:
    problems = []
    for locale in COMPLETE_LOCALES:
        po_path = locales_dir / locale / "LC_MESSAGES" / "messages.po"
        problems += catalog_problems(po_path) if po_path.exists() else [f"{po_path}: missing"]
    return problems + workflow_problems(workflows_dir, forms_dir)
