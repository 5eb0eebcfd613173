"""What changed between two versions of a diagram: BPMN elements added, removed and changed, by id."""

import copy
from dataclasses import dataclass

from lxml import etree

from webapp.engine import safe_xml

_BPMN = "{" + safe_xml.BPMN_NS + "}"


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    kind: str  # the BPMN tag without namespace: userTask, sequenceFlow, lane...
    name: str


@dataclass(frozen=True)
class DiagramDiff:
    added: tuple[ElementChange, ...]
    removed: tuple[ElementChange, ...]
    changed: tuple[ElementChange, ...]
    layout_changed: bool  # shapes moved without any change to the process itself

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.layout_changed)


def diff_diagrams(old: bytes, new: bytes) -> DiagramDiff:
    """Compares two BPMN files (parsed safely; UnsafeXml when one cannot be read)."""
    old_root, new_root = safe_xml.parse("old.bpmn", old), safe_xml.parse("new.bpmn", new)
    before, after = _elements(old_root), _elements(new_root)
    return DiagramDiff(
        added=tuple(_change(after[i]) for i in after if i not in before),
        removed=tuple(_change(before[i]) for i in before if i not in after),
        changed=tuple(
            _change(after[i]) for i in after if i in before and _signature(after[i]) != _signature(before[i])
        ),
        layout_changed=_layout(old_root) != _layout(new_root),
    )


def _elements(root: etree._Element) -> dict[str, etree._Element]:
    return {
        str(element.get("id")): element
        for element in root.iter(f"{_BPMN}*")
        if element.get("id") and element is not root
    }


def _change(element: etree._Element) -> ElementChange:
    return ElementChange(
        str(element.get("id")), etree.QName(element).localname, str(element.get("name") or "")
    )


def _signature(element: etree._Element) -> bytes:
    """The element without its descendants that have their own id: those are compared on their own."""
    mine = copy.deepcopy(element)
    for child in list(mine.iter()):
        parent = child.getparent()
        if child is not mine and child.get("id") and parent is not None:
            parent.remove(child)
    return etree.tostring(mine, method="c14n")


def _layout(root: etree._Element) -> bytes:
    diagrams = [e for e in root if etree.QName(e).localname == "BPMNDiagram"]
    return b"".join(etree.tostring(d, method="c14n") for d in diagrams)
