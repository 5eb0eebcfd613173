"""What a family's service expects of the process it drives, and the check of a diagram against it.

The applications service starts `ssdm_programme_application`, completes its first user task itself and reads
`outcome` when the case ends. A diagram that is valid BPMN but drops that task or never sets `outcome` would
break every new case: the contract lets publishing refuse it, naming the element and what to do.
"""

import ast
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import label, problem, scope_nodes

_B = "{" + safe_xml.BPMN_NS + "}"
_S = "{" + safe_xml.SPIFF_NS + "}"
# Steps the engine runs by itself on the way from the start event to the first person's task.
_AUTOMATIC = frozenset(
    f"{_B}{name}"
    for name in (
        "scriptTask",
        "businessRuleTask",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "intermediateThrowEvent",
    )
)


@dataclass(frozen=True)
class ProcessContract:
    """What a service relies on in the process it drives; declared by the family, checked at publishing."""

    process_id: str
    # The bpmn id of the user task the service completes when it opens a case, and the lane (role) it must be
    # in; None when the service opens a case and leaves every task to people (the grievances).
    start_task: str | None = None
    start_role: str | None = None
    start_form: str | None = None  # its formKey, when the service fills that form itself
    start_variables: frozenset[str] = frozenset()  # what the service writes when it starts a case
    end_variables: frozenset[str] = frozenset()  # what it reads when the case ends: set on every path
    end_values: Mapping[str, frozenset[str]] = field(default_factory=dict)  # the values it understands
    end_events: frozenset[str] | None = None  # the end events it knows; None: any end event


def contract_problems(
    root: etree._Element,
    contract: ProcessContract,
    *,
    form_fields: Mapping[str, Collection[str]] | None = None,
    decision_outputs: Mapping[str, Collection[str]] | None = None,
) -> list[ValidationProblem]:
    """Where the diagram breaks the contract; empty when the service can drive it.

    `form_fields` (formKey -> field names) and `decision_outputs` (decision id -> output names) tell which
    variables a user task or a business rule task sets; without them only scripts count.
    """
    process = next((p for p in root.iterfind(f"{_B}process") if p.get("id") == contract.process_id), None)
    if process is None:
        return []  # process_problems names the missing process
    sets = _Setters(form_fields or {}, decision_outputs or {})
    problems = _start_problems(process, contract) if contract.start_task is not None else []
    problems += _end_problems(process, contract, sets)
    problems += _value_problems(process, contract)
    return problems


def _start_problems(process: etree._Element, contract: ProcessContract) -> list[ValidationProblem]:
    params = {"task": str(contract.start_task), "role": str(contract.start_role or "")}
    task = next((t for t in process.iter() if t.get("id") == contract.start_task), None)
    if task is None or task.tag != f"{_B}userTask":
        return [
            problem(
                task,
                N_("Sala opens a case by completing the user task %(task)s (lane %(role)s): it is missing."),
                N_(
                    "Keep %(task)s as the first user task after the start event, as in the published version."
                ),
                **params,
            )
        ]
    problems = []
    lane = _lane_of(process, params["task"])
    if lane != contract.start_role:
        problems.append(
            problem(
                task,
                N_("%(element)s must be in the lane %(role)s."),
                _FIX_START,
                element=label(task),
                **params,
            )
        )
    if contract.start_form is not None and _property(task, "formKey") != contract.start_form:
        problems.append(
            problem(
                task,
                N_("%(element)s must keep the form %(form)s: Sala fills it when it opens a case."),
                _FIX_START,
                element=label(task),
                form=contract.start_form,
            )
        )
    return problems + _first_wait_problems(process, contract, params)


def _first_wait_problems(
    process: etree._Element, contract: ProcessContract, params: dict[str, str]
) -> list[ValidationProblem]:
    return [
        problem(
            node,
            N_("%(element)s comes before %(task)s, which must be the first step a case waits at."),
            _FIX_START,
            element=label(node),
            **params,
        )
        for node in _first_waits(process).values()
        if node.get("id") != contract.start_task
    ]


_FIX_START = N_("Start the process with %(task)s in the lane %(role)s, as in the published version.")


def _first_waits(process: etree._Element) -> dict[str, etree._Element]:
    """The steps a new case stops at (or ends at) after the engine ran what it runs by itself."""
    nodes = scope_nodes(process)
    targets = _targets(process)
    starts = [n for n, node in nodes.items() if node.tag == f"{_B}startEvent"]
    seen, found, pending = set(starts), {}, list(starts)
    while pending:
        node_id = pending.pop()
        for target in targets.get(node_id, ()):
            node = nodes.get(target)
            if node is None or target in seen:
                continue
            seen.add(target)
            if node.tag in _AUTOMATIC:
                pending.append(target)
            else:
                found[target] = node
    return found


def _targets(scope: etree._Element) -> dict[str, list[str]]:
    targets: dict[str, list[str]] = {}
    for flow in scope.iterfind(f"{_B}sequenceFlow"):
        targets.setdefault(str(flow.get("sourceRef")), []).append(str(flow.get("targetRef")))
    return targets


def _lane_of(process: etree._Element, node_id: str) -> str | None:
    for ref in process.iter(f"{_B}flowNodeRef"):
        if (ref.text or "").strip() == node_id:
            lane = ref.getparent()
            return str(lane.get("name") or "") if lane is not None else None
    return None


def _property(element: etree._Element, name: str) -> str | None:
    for prop in element.iterfind(f"{_B}extensionElements/{_S}properties/{_S}property"):
        if prop.get("name") == name:
            return str(prop.get("value") or "")
    return None


class _Setters:
    """Which variables a step sets: its scripts' assignments, its form's fields, its decision's outputs."""

    def __init__(
        self, form_fields: Mapping[str, Collection[str]], decision_outputs: Mapping[str, Collection[str]]
    ) -> None:
        self.form_fields = form_fields
        self.decision_outputs = decision_outputs

    def of(self, node: etree._Element, inner: Mapping[str, frozenset[str]]) -> frozenset[str]:
        names = set(inner.get(str(node.get("id")), frozenset()))
        for code in node.iterfind(f"{_B}script"):
            names |= _assigned(code.text or "")
        for code in node.iterfind(f"{_B}extensionElements/{_S}*"):
            if code.tag in (f"{_S}preScript", f"{_S}postScript"):
                names |= _assigned(code.text or "")
        form = _property(node, "formKey")
        if form:
            names |= set(self.form_fields.get(form, ()))
        decision = node.findtext(f"{_B}extensionElements/{_S}calledDecisionId")
        if decision:
            names |= set(self.decision_outputs.get(decision.strip(), ()))
        return frozenset(names)


def _assigned(text: str) -> set[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _end_problems(
    process: etree._Element, contract: ProcessContract, sets: _Setters
) -> list[ValidationProblem]:
    inner: dict[str, frozenset[str]] = {}
    # Inner scopes first (they follow their parent in document order): a subprocess sets what every one of
    # its ends has set.
    for scope in reversed(list(process.iter(f"{_B}subProcess", f"{_B}transaction"))):
        ends = _set_at_ends(scope, frozenset(), sets, inner)
        inner[str(scope.get("id"))] = frozenset.intersection(*ends.values()) if ends else frozenset()
    problems = []
    ends = _set_at_ends(process, contract.start_variables, sets, inner)
    main = _main_path(process)
    for end_id, known in ends.items():
        if end_id not in main:
            continue  # a reminder's branch ends there, the case goes on
        end = scope_nodes(process)[end_id]
        if contract.end_events is not None and end_id not in contract.end_events:
            problems.append(
                problem(
                    end,
                    N_("%(element)s is an end that Sala does not know for this process."),
                    N_("Lead the flow to one of the ends of the published version: %(ends)s."),
                    element=label(end),
                    ends=", ".join(sorted(contract.end_events)),
                )
            )
        missing = sorted(contract.end_variables - known)
        if missing:
            problems.append(
                problem(
                    end,
                    N_("A case can reach %(element)s without %(variables)s; Sala reads them at the end."),
                    N_("Set them on every path to this end, e.g. in a script task just before it."),
                    element=label(end),
                    variables=", ".join(missing),
                )
            )
    return problems


def _main_path(scope: etree._Element) -> set[str]:
    """The nodes reached from a start without going through a non-interrupting boundary event."""
    nodes = scope_nodes(scope)
    targets = _targets(scope)
    for node_id, node in nodes.items():
        if node.tag == f"{_B}boundaryEvent" and node.get("cancelActivity") != "false":
            targets.setdefault(str(node.get("attachedToRef")), []).append(node_id)
    reached = {n for n, node in nodes.items() if node.tag == f"{_B}startEvent"}
    pending = list(reached)
    while pending:
        for target in targets.get(pending.pop(), ()):
            if target not in reached:
                reached.add(target)
                pending.append(target)
    return reached


def _set_at_ends(
    scope: etree._Element, at_start: frozenset[str], sets: _Setters, inner: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """End event id -> the variables set on every path from a start to it (must-analysis, worklist)."""
    nodes = scope_nodes(scope)
    # source -> (target, whether it leaves before the source has run: a boundary event)
    edges: dict[str, list[tuple[str, bool]]] = {}
    for source, targets in _targets(scope).items():
        edges.setdefault(source, []).extend((target, False) for target in targets)
    for node_id, node in nodes.items():
        if node.tag == f"{_B}boundaryEvent":
            edges.setdefault(str(node.get("attachedToRef")), []).append((node_id, True))
    before: dict[str, frozenset[str]] = {
        n: at_start for n, node in nodes.items() if node.tag == f"{_B}startEvent"
    }
    pending = list(before)
    while pending:
        node_id = pending.pop()
        after = before[node_id] | sets.of(nodes[node_id], inner)
        for target, early in edges.get(node_id, ()):
            if target not in nodes:
                continue
            arriving = before[node_id] if early else after
            known = before.get(target)
            merged = arriving if known is None else known & arriving
            if merged != known:
                before[target] = merged
                pending.append(target)
    return {n: before[n] for n, node in nodes.items() if node.tag == f"{_B}endEvent" and n in before}


def _value_problems(process: etree._Element, contract: ProcessContract) -> list[ValidationProblem]:
    problems = []
    for code in process.iter(f"{_B}script", f"{_S}preScript", f"{_S}postScript"):
        for variable, value in _string_assignments(code.text or ""):
            allowed = contract.end_values.get(variable)
            if allowed is not None and value not in allowed:
                owner = code.getparent()
                while owner is not None and not owner.get("id"):
                    owner = owner.getparent()
                problems.append(
                    problem(
                        owner,
                        N_("%(element)s sets %(variable)s to %(value)s, which Sala does not know."),
                        N_("Use one of the values Sala knows: %(allowed)s."),
                        element=label(owner) if owner is not None else "",
                        variable=variable,
                        value=value,
                        allowed=", ".join(sorted(allowed)),
                    )
                )
    return problems


def _string_assignments(text: str) -> list[tuple[str, str]]:
    """(variable, text) for every string literal a script may assign to a variable."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            literals = [
                c.value
                for c in ast.walk(node.value)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            ]
            for target in node.targets:
                if isinstance(target, ast.Name) and not isinstance(node.value, ast.Compare):
                    found += [(target.id, literal) for literal in literals if _is_result(node.value, literal)]
    return found


def _is_result(value: ast.expr, literal: str) -> bool:
    """Whether `literal` can be the value itself, not a string the expression compares with."""
    if isinstance(value, ast.Constant):
        return value.value == literal
    if isinstance(value, ast.IfExp):
        return _is_result(value.body, literal) or _is_result(value.orelse, literal)
    return False
