"""Cross-file checks of Sala's content: forms, lanes and the Khmer catalog agree with each other."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.domain.people import ROLES
from webapp.forms import load_forms
from webapp.services.deadlines.calendars import create_process_engine

COENG_TA, COENG_DA = "\u17d2\u178f", "\u17d2\u178a"
# Words written with the subscript DA (្ដ): the same word with the subscript TA (្ត) looks alike on screen
# but is another string to search, sort and compare, so the catalog spells it one way only.
DA_WORDS = (
    "សេចក្ដី",
    "ក្ដី",
    "ប្ដូរ",
    "ផ្ដល់",
    "ផ្ដើម",
    "ផ្ដាច់",
    "ម្ដង",
    "ម្ដេច",
    "ប្ដឹង",
    "បណ្ដឹង",
    "កណ្ដាល",
    "បណ្ដុះ",
    "បណ្ដាល",
    "បណ្ដោះ",
    "ស្ដី",
    "ស្ដាប់",
    "សប្ដាហ៍",
    "សម្ដែង",
    "ក្ដារ",
)
# Refused spelling -> the one Sala uses. In Khmer text the brand is សាលា, the Social Service Delivery
# Mechanism យ.ផ.ស.ស. (យន្តការផ្ដល់សេវាសង្គម), the NSSF ប.ស.ស., and sizes are in គីឡូបៃ and មេហ្គាបៃ.
REFUSED_SPELLINGS: dict[str, str] = {
    **{word.replace(COENG_DA, COENG_TA): word for word in DA_WORDS},
    "ឲ្យ": "ឱ្យ",
    "ស្រ្ត": "ស្ត្រ",  # the subscript RO typed before the subscript TA
    "ទូរសព្ទ": "ទូរស័ព្ទ",
    "ព័ត៍មាន": "ព័ត៌មាន",
    "ពត៌មាន": "ព័ត៌មាន",
    "អ៊ីម៉ែល": "អ៊ីមែល",
}
REFUSED_LATIN = {"Sala": "សាលា", "SSDM": "យ.ផ.ស.ស.", "NSSF": "ប.ស.ស.", "KB": "គីឡូបៃ", "MB": "មេហ្គាបៃ"}
_KHMER = re.compile("[\u1780-\u17ff]")
_LATIN_WORDS = {word: re.compile(rf"(?<![A-Za-z]){word}(?![A-Za-z])") for word in REFUSED_LATIN}


def spelling_problems(text: str) -> list[str]:
    """The look-alike spellings in one Khmer string, as "refused → preferred"."""
    found = [bad for bad in REFUSED_SPELLINGS if bad in text]
    # ក្តី inside សេចក្តី is one mistake, told once.
    found = [bad for bad in found if not any(bad != other and bad in other for other in found)]
    problems = [f"{bad} → {REFUSED_SPELLINGS[bad]}" for bad in found]
    if _KHMER.search(text):
        problems += [
            f"{word} → {REFUSED_LATIN[word]}" for word, found in _LATIN_WORDS.items() if found.search(text)
        ]
    return problems


def catalog_problems(po_path: Path) -> list[str]:
    """Every message must be translated and not fuzzy: an empty Khmer entry shows English to officers. Each
    word is spelled one way (`spelling_problems`)."""
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
        for found in sorted(
            {problem for string in strings for problem in spelling_problems(str(string or ""))}
        ):
            problems.append(f"{po_path}: spelling {found} in the translation of {message.id!r}")
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
