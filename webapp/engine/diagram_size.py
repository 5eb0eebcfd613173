"""Size limits of a diagram: how many steps a file may hold and how long a chain of steps may be.

SpiffWorkflow's parser follows sequence flows by recursion (about two Python frames per step) and its task
tree has a depth limit near 1,000: a chain of a few hundred steps fails with a RecursionError, at publishing
or later in a running case. Both limits are checked here first,
with loops over the tree and an explicit stack.
"""

from collections.abc import Iterator

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import FLOW_NODES, SCOPES, label, problem, scope_edges, scope_nodes

MAX_STEPS = 1_000  # flow nodes in one file; the shipped application has about 80
MAX_CHAIN = 250  # steps one after another, subprocesses counted with their inside; the application: about 30
FIX_SIZE = N_(
    "Model a repeated step as a loop (a subprocess with a loop condition) instead of copying it, "
    "or split the work into smaller processes."
)


def size_problems(root: etree._Element) -> list[ValidationProblem]:
    """A problem when the file has too many steps or too long a chain; empty when the engine can take it."""
    steps = sum(1 for _ in root.iter(*FLOW_NODES))
    if steps > MAX_STEPS:
        return [
            problem(
                None,
                N_("The diagram has %(count)s steps; Sala accepts at most %(limit)s in one file."),
                FIX_SIZE,
                count=str(steps),
                limit=str(MAX_STEPS),
            )
        ]
    deepest = _deepest(root)
    if deepest is None:
        return []
    node, length = deepest
    return [
        problem(
            node,
            N_("%(element)s is step %(count)s of a chain; Sala accepts at most %(limit)s steps in a row."),
            FIX_SIZE,
            element=label(node),
            count=str(length),
            limit=str(MAX_CHAIN),
        )
    ]


def _deepest(root: etree._Element) -> tuple[etree._Element, int] | None:
    """The first node reached deeper than MAX_CHAIN, as the parser would reach it, or None."""
    inner: dict[str, int] = {}  # subprocess id -> the longest chain inside it
    # Inner scopes come after their parent in document order: reversed, each is measured before its parent.
    for scope in reversed(list(root.iter(*SCOPES))):
        nodes = scope_nodes(scope)
        longest = 0
        for node_id, depth in _walk(nodes, scope_edges(scope, nodes)):
            depth += inner.get(node_id, 0)
            if depth > MAX_CHAIN:
                return nodes[node_id], depth
            longest = max(longest, depth)
        if scope.get("id"):
            inner[str(scope.get("id"))] = longest
    return None


def _walk(nodes: dict[str, etree._Element], edges: dict[str, list[str]]) -> Iterator[tuple[str, int]]:
    """Every node with its depth in a depth-first walk from the scope's entry points, each node once."""
    seen: set[str] = set()
    targets = {target for found in edges.values() for target in found}
    entries = [node_id for node_id, node in nodes.items() if node_id not in targets or _is_start(node)]
    for entry in entries:
        stack = [(entry, 1)]
        while stack:
            node_id, depth = stack.pop()
            if node_id in seen or node_id not in nodes:
                continue
            seen.add(node_id)
            yield node_id, depth
            stack.extend((target, depth + 1) for target in reversed(edges.get(node_id, ())))


def _is_start(node: etree._Element) -> bool:
    return node.tag == "{" + safe_xml.BPMN_NS + "}startEvent"
