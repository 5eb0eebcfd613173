"""Find every script and expression in BPMN and DMN files and check that each may run."""

from collections.abc import Iterator, Mapping

from lxml import etree

from webapp.engine import safe_xml
from webapp.engine.script_env import dmn_entry_problems, script_problems

_SPIFF = "{" + safe_xml.SPIFF_NS + "}"
_BPMN = "{" + safe_xml.BPMN_NS + "}"

# Element -> (how it is run, what to call it in a problem sentence).
_BPMN_CODE = {
    f"{_BPMN}script": ("exec", "The script of"),
    f"{_SPIFF}preScript": ("exec", "The pre-script of"),
    f"{_SPIFF}postScript": ("exec", "The post-script of"),
    f"{_BPMN}conditionExpression": ("eval", "The condition of"),
    f"{_BPMN}loopCondition": ("eval", "The loop condition of"),
    f"{_BPMN}completionCondition": ("eval", "The completion condition of"),
    f"{_BPMN}loopCardinality": ("eval", "The loop cardinality of"),
    f"{_BPMN}timeDate": ("eval", "The timer date of"),
    f"{_BPMN}timeDuration": ("eval", "The timer duration of"),
    f"{_BPMN}timeCycle": ("eval", "The timer cycle of"),
    f"{_SPIFF}messagePayload": ("eval", "The message payload of"),
}


def expression_problems(bpmn: Mapping[str, etree._Element], dmn: Mapping[str, etree._Element]) -> list[str]:
    problems = []
    for name, root in bpmn.items():
        for element, (mode, label) in _bpmn_code(root):
            where = f"{label} '{_owner_id(element)}' in {name}"
            problems += script_problems(element.text or "", mode=mode, where=where)
    for name, root in dmn.items():
        problems += _dmn_problems(name, root)
    return problems


def _bpmn_code(root: etree._Element) -> Iterator[tuple[etree._Element, tuple[str, str]]]:
    for element in root.iter(*_BPMN_CODE):
        if (element.text or "").strip():
            yield element, _BPMN_CODE[element.tag]


def _owner_id(element: etree._Element) -> str:
    """The id of the nearest element that has one: the task, flow or event the code belongs to."""
    node: etree._Element | None = element
    while node is not None:
        if node.get("id") and node is not element:
            return str(node.get("id"))
        node = node.getparent()
    return str(element.get("id") or "?")


def _dmn_problems(name: str, root: etree._Element) -> list[str]:
    problems = []
    for element in root.iter("{*}text"):
        parent = element.getparent()
        if parent is None:
            continue
        kind = etree.QName(parent).localname
        where = f"The {_DMN_LABELS.get(kind, kind)} '{parent.get('id') or '?'}' in {name}"
        if kind == "inputEntry":
            problems += dmn_entry_problems(element.text, where=where)
        elif kind in ("inputExpression", "outputEntry") and (element.text or "").strip():
            problems += script_problems(element.text or "", mode="eval", where=where)
    return problems


_DMN_LABELS = {
    "inputEntry": "input entry",
    "inputExpression": "input expression",
    "outputEntry": "output entry",
}
