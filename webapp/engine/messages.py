"""Babel extraction of the English labels in BPMN and DMN files: element names and decision reasons."""

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from lxml import etree

from webapp.engine import safe_xml

_NAMED_TAGS = frozenset(
    {"process", "participant", "sequenceFlow", "task", "subProcess", "callActivity", "transaction"}
)
_NAMED_SUFFIXES = ("Task", "Event", "Gateway", "SubProcess")


def extract_workflow(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: every label a person reads, with its line number."""
    name = getattr(fileobj, "name", "workflow file")
    root = safe_xml.parse(str(name), fileobj.read())
    for line, text in _labels(root):
        yield line, None, text, []


def translatable_strings(directory: Path) -> set[str]:
    """The labels of every BPMN and DMN file of `directory`, as extract_workflow finds them."""
    found: set[str] = set()
    for path in sorted([*directory.glob("*.bpmn"), *directory.glob("*.dmn")]):
        root = safe_xml.parse(path.name, path.read_bytes())
        found.update(text for _, text in _labels(root))
    return found


def _labels(root: etree._Element) -> Iterator[tuple[int, str]]:
    kind = safe_xml.kind(root)
    if kind == "bpmn":
        yield from _bpmn_labels(root)
    elif kind == "dmn":
        yield from _dmn_labels(root)


def _bpmn_labels(root: etree._Element) -> Iterator[tuple[int, str]]:
    # Lanes are left out on purpose: their names are role ids, translated with the roles.
    for element in root.iter(f"{{{safe_xml.BPMN_NS}}}*"):
        local = etree.QName(element).localname
        label = (element.get("name") or "").strip()
        if label and (local in _NAMED_TAGS or local.endswith(_NAMED_SUFFIXES)):
            yield element.sourceline or 0, label


def _dmn_labels(root: etree._Element) -> Iterator[tuple[int, str]]:
    for text in root.iterfind(".//{*}outputEntry/{*}text"):
        value = _string_literal(text.text or "")
        if value is not None and _is_sentence(value):
            yield text.sourceline or 0, value


def _string_literal(source: str) -> str | None:
    try:
        value = ast.literal_eval(source.strip())
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _is_sentence(value: str) -> bool:
    return " " in value and value[:1].isupper() and value.endswith((".", "?", "!"))
