"""Structural checks of a BPMN diagram: duplicate ids, a process to run, unreachable elements, dead ends."""

from collections import defaultdict
from collections.abc import Iterator

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml

_B = "{" + safe_xml.BPMN_NS + "}"
SCOPES = (f"{_B}process", f"{_B}subProcess", f"{_B}transaction", f"{_B}adHocSubProcess")
FLOW_NODES = frozenset(
    f"{_B}{name}"
    for name in (
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    )
)


def problem(at: etree._Element | None, message: str, hint: str, /, **params: str) -> ValidationProblem:
    """A problem located on element `at` (its id and name), or on the whole diagram when it is None."""
    element_id = str(at.get("id") or "") if at is not None else ""
    name = str(at.get("name") or "") if at is not None else ""
    return ValidationProblem(element_id, name, message, hint, params)


def duplicate_id_problems(root: etree._Element) -> list[ValidationProblem]:
    seen: dict[str, int] = defaultdict(int)
    first: dict[str, etree._Element] = {}
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id:
            seen[element_id] += 1
            first.setdefault(element_id, element)
    return [
        problem(
            first[element_id],
            N_("The id %(id)s is used by %(count)s elements."),
            N_("Give every element its own id."),
            id=element_id,
            count=str(count),
        )
        for element_id, count in seen.items()
        if count > 1
    ]


def process_problems(root: etree._Element, process_id: str) -> list[ValidationProblem]:
    ids = [process.get("id") for process in root.iterfind(f"{_B}process")]
    if process_id in ids:
        return []
    return [
        problem(
            None,
            N_("The diagram has no process with the id %(process)s."),
            N_("Keep the process id of the version you started from."),
            process=process_id,
        )
    ]


def flow_problems(root: etree._Element) -> list[ValidationProblem]:
    """Every element is reachable from a start event, and every element but an end event leads somewhere."""
    problems: list[ValidationProblem] = []
    for scope in root.iter(*SCOPES):
        problems += _scope_problems(scope)
    return problems


def _scope_problems(scope: etree._Element) -> list[ValidationProblem]:
    nodes = scope_nodes(scope)
    edges = scope_edges(scope, nodes)
    reached = _reached(nodes, edges)
    # One pass over the flows: asking each node "has it an outgoing flow?" by scanning them all was quadratic.
    sources = {str(flow.get("sourceRef")) for flow in scope.iterfind(f"{_B}sequenceFlow")}
    problems = [
        problem(
            node,
            N_("%(element)s cannot be reached from a start event."),
            N_("Connect it with a sequence flow from an earlier step, or delete it."),
            element=label(node),
        )
        for node_id, node in nodes.items()
        if node_id not in reached
    ]
    problems += [
        problem(
            node,
            N_("%(element)s leads nowhere: the case would stop there."),
            N_("Add a sequence flow from it to the next step or to an end event."),
            element=label(node),
        )
        for node_id, node in nodes.items()
        if _needs_outgoing(node) and node_id not in sources
    ]
    return problems


def scope_nodes(scope: etree._Element) -> dict[str, etree._Element]:
    """The flow nodes directly in `scope` (a process or subprocess), by id."""
    return {str(node.get("id")): node for node in scope if node.tag in FLOW_NODES and node.get("id")}


def scope_edges(scope: etree._Element, nodes: dict[str, etree._Element]) -> dict[str, list[str]]:
    """Node id -> the ids it leads to, in document order: its sequence flows, then its boundary events."""
    edges: dict[str, list[str]] = defaultdict(list)
    for flow in scope.iterfind(f"{_B}sequenceFlow"):
        edges[str(flow.get("sourceRef"))].append(str(flow.get("targetRef")))
    for node_id, node in nodes.items():
        if node.tag == f"{_B}boundaryEvent":
            edges[str(node.get("attachedToRef"))].append(node_id)
    return edges


def _starts(nodes: dict[str, etree._Element], edges: dict[str, list[str]]) -> Iterator[str]:
    targets = {target for found in edges.values() for target in found}
    has_start = any(node.tag == f"{_B}startEvent" for node in nodes.values())
    for node_id, node in nodes.items():
        # Event subprocesses start on their own event; without start events, a scope starts where no flow
        # enters.
        own_start = node.tag == f"{_B}startEvent" or node.get("triggeredByEvent") == "true"
        if own_start or (not has_start and node_id not in targets):
            yield node_id


def _reached(nodes: dict[str, etree._Element], edges: dict[str, list[str]]) -> set[str]:
    reached: set[str] = set()
    pending = list(_starts(nodes, edges))
    while pending:
        node_id = pending.pop()
        if node_id not in reached:
            reached.add(node_id)
            pending.extend(edges.get(node_id, ()))
    return reached


def _needs_outgoing(node: etree._Element) -> bool:
    if node.tag == f"{_B}endEvent" or node.get("triggeredByEvent") == "true":
        return False
    # A compensation handler is linked by an association, not a sequence flow.
    return node.find(f"{_B}compensateEventDefinition") is None


def label(node: etree._Element) -> str:
    name = node.get("name")
    return f"'{name}' ({node.get('id')})" if name else str(node.get("id"))
