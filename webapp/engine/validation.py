"""Checks a diagram before publishing: it deploys, and every role, form, name and timer in it is known."""

import ast
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass

from lxml import etree

from webapp.domain.errors import WorkflowInvalid
from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.call_graph import call_cycle_problems
from webapp.engine.contracts import ProcessContract, contract_problems
from webapp.engine.diagram_graph import duplicate_id_problems, flow_problems, problem, process_problems
from webapp.engine.diagram_size import size_problems
from webapp.engine.process_engine import ProcessEngine
from webapp.engine.refusals import DiagramRefused, text_problem
from webapp.engine.task_kinds import task_kind_problems
from webapp.engine.timer_checks import timer_problems

_B = "{" + safe_xml.BPMN_NS + "}"
_S = "{" + safe_xml.SPIFF_NS + "}"
_CODE_TAGS = (
    f"{_B}script",
    f"{_S}preScript",
    f"{_S}postScript",
    f"{_B}conditionExpression",
    f"{_B}loopCondition",
    f"{_B}completionCondition",
    f"{_B}loopCardinality",
    f"{_S}messagePayload",
)
_EXEC_TAGS = frozenset({f"{_B}script", f"{_S}preScript", f"{_S}postScript"})
FIX_READ = N_("Upload a BPMN 2.0 file saved by a BPMN modeler, or start again from the published version.")


@dataclass(frozen=True)
class Vocabulary:
    """What a diagram may refer to: Sala's roles, forms, letters and the variables its cases carry."""

    roles: Set[str]
    forms: Set[str]
    letters: Set[str] | None = None  # None: letters are not checked
    variables: Set[str] = frozenset()
    calendars: Set[str] | None = None  # None: slaCalendar is not checked
    # Whether an slaTarget value is a working duration; the SLA package knows, the engine does not.
    is_duration: Callable[[str], bool] | None = None
    # formKey -> the variables its form sets: a contract's end variables may come from a form.
    form_fields: Mapping[str, Set[str]] | None = None


def validate_process(
    process_id: str,
    files: Mapping[str, bytes],
    *,
    engine: ProcessEngine,
    vocabulary: Vocabulary,
    contract: ProcessContract | None = None,
    published_calls: Mapping[str, Collection[str]] | None = None,
) -> list[ValidationProblem]:
    """Every problem that stops `files` from being published as `process_id`; empty when it may be.

    `contract` is what the family's service relies on in this process; `published_calls` maps every
    published process id to the processes it calls (`call_graph.called_processes`), so that a call chain
    through them that comes back is refused too. Each problem is listed once.
    """
    roots: dict[str, etree._Element] = {}
    for name, data in sorted(files.items()):
        try:
            roots[name] = safe_xml.parse(name, data)
        except safe_xml.UnsafeXml as error:
            return [problem(None, error.message, FIX_READ, **error.params)]
    bpmn = [root for name, root in roots.items() if name.endswith(".bpmn")]
    too_big = [p for root in bpmn for p in size_problems(root)]
    if too_big:
        return unique(too_big)  # every other check would walk the whole of it, and the engine would fail
    problems = [p for root in bpmn for p in duplicate_id_problems(root) + process_problems(root, process_id)]
    problems += [p for root in bpmn for p in task_kind_problems(root)]
    problems += call_cycle_problems(bpmn, published_calls)
    outputs = {
        str(o.get("name")) for name, root in roots.items() if name.endswith(".dmn") for o in _outputs(root)
    }
    variables = set(vocabulary.variables) | outputs
    if contract is not None:
        variables |= contract.start_variables
        problems += _contract_problems(roots, bpmn, contract, vocabulary)
    for root in bpmn:
        problems += _reference_problems(root, vocabulary)
        problems += _script_problems(root, set(engine.script_helpers), variables)
        problems += timer_problems(root, engine.script_helpers)
        problems += flow_problems(root)
    return unique(problems, _engine_problems(process_id, files, engine, bpmn))


def _contract_problems(
    roots: Mapping[str, etree._Element],
    bpmn: list[etree._Element],
    contract: ProcessContract,
    vocabulary: Vocabulary,
) -> list[ValidationProblem]:
    """What the diagram breaks of the family's contract; a decision's outputs count as set variables."""
    decisions = {
        str(d.get("id")): {str(o.get("name")) for o in _outputs(d)}
        for name, root in roots.items()
        if name.endswith(".dmn")
        for d in root.iterfind("{*}decision")
    }
    return [
        p
        for root in bpmn
        for p in contract_problems(
            root, contract, form_fields=vocabulary.form_fields, decision_outputs=decisions
        )
    ]


def unique(
    problems: Iterable[ValidationProblem], engine_problems: Iterable[ValidationProblem] = ()
) -> list[ValidationProblem]:
    """Each problem once; an engine problem only where Sala's own checks found nothing to say."""
    seen: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
    found: list[ValidationProblem] = []
    for item in problems:
        key = (item.element_id, item.message, tuple(sorted(item.params.items())))
        if key not in seen:
            seen.add(key)
            found.append(item)
    flagged = {item.element_id for item in found if item.element_id}
    said = {(item.message, tuple(sorted(item.params.items()))) for item in found}
    for item in engine_problems:
        key = (item.element_id, item.message, tuple(sorted(item.params.items())))
        if key in seen or item.element_id in flagged or key[1:] in said:
            continue
        seen.add(key)
        found.append(item)
    return found


def _engine_problems(
    process_id: str, files: Mapping[str, bytes], engine: ProcessEngine, bpmn: list[etree._Element]
) -> list[ValidationProblem]:
    try:
        engine.deploy(process_id, files)
    except DiagramRefused as error:
        return error.located
    except WorkflowInvalid as error:
        return [text_problem(detail, bpmn) for detail in error.problems]
    return []


def _outputs(root: etree._Element) -> Iterator[etree._Element]:
    return root.iterfind(".//{*}output")


def _reference_problems(root: etree._Element, vocabulary: Vocabulary) -> list[ValidationProblem]:
    problems = [
        problem(
            lane,
            N_("The lane %(lane)s is not one of Sala's roles."),
            N_("Name the lane after a role from the list, e.g. commune_assistant."),
            lane=str(lane.get("name") or ""),
        )
        for lane in root.iter(f"{_B}lane")
        if lane.get("name") not in vocabulary.roles
    ]
    checks = [("formKey", vocabulary.forms, N_("The form %(value)s does not exist."))]
    if vocabulary.letters is not None:
        checks.append(("letter", vocabulary.letters, N_("The letter %(value)s does not exist.")))
    if vocabulary.calendars is not None:
        checks.append(("slaCalendar", vocabulary.calendars, N_("The calendar %(value)s does not exist.")))
    problems += _duration_problems(root, vocabulary.is_duration)
    for prop in root.iter(f"{_S}property"):
        for key, known, message in checks:
            if prop.get("name") == key and prop.get("value") not in known:
                problems.append(
                    problem(
                        _owner(prop),
                        message,
                        N_("Choose one from the list in the properties panel."),
                        value=str(prop.get("value") or ""),
                    )
                )
    return problems


def _duration_problems(
    root: etree._Element, is_duration: Callable[[str], bool] | None
) -> list[ValidationProblem]:
    if is_duration is None:
        return []
    return [
        problem(
            _owner(prop),
            N_("The time to finish %(value)s is not a working duration."),
            N_("Write working days and hours, e.g. P5D, PT4H or P1DT4H."),
            value=str(prop.get("value") or ""),
        )
        for prop in root.iter(f"{_S}property")
        if prop.get("name") == "slaTarget" and not is_duration(str(prop.get("value") or ""))
    ]


def _owner(element: etree._Element) -> etree._Element:
    """The element (task, event, flow) that carries `element` in its extensions or body."""
    node = element.getparent()
    while node is not None and not node.get("id"):
        node = node.getparent()
    return node if node is not None else element


def _script_problems(root: etree._Element, helpers: set[str], variables: set[str]) -> list[ValidationProblem]:
    sources = [
        (element, element.text or "") for element in root.iter(*_CODE_TAGS) if (element.text or "").strip()
    ]
    # A name any script of the diagram sets is a case variable from then on.
    allowed = helpers | variables | {name for _, text in sources for name in _assigned(text)}
    problems = []
    for element, text in sources:
        mode = "exec" if element.tag in _EXEC_TAGS else "eval"
        problems += _code_problems(_owner(element), text, mode, allowed)
    return problems


def _parse(text: str, mode: str) -> ast.AST | None:
    try:
        return ast.parse(text, mode=mode)
    except (SyntaxError, ValueError):
        return None  # the engine's deploy reports it, with the line


def _assigned(text: str) -> set[str]:
    tree = _parse(text, "exec")
    if tree is None:
        return set()
    return {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _code_problems(owner: etree._Element, text: str, mode: str, allowed: set[str]) -> list[ValidationProblem]:
    tree = _parse(text, mode)
    if tree is None:
        return []
    local = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            problems.append(
                problem(
                    owner,
                    N_("The code of %(element)s reads the hidden attribute %(name)s."),
                    N_("Scripts may not use names that start with an underscore: remove it."),
                    element=str(owner.get("id")),
                    name=node.attr,
                )
            )
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in allowed | local:
            problems.append(
                problem(
                    owner,
                    N_("The code of %(element)s uses %(name)s: neither a helper nor a case variable."),
                    N_("Use a variable that a form or an earlier script sets, or one of the script helpers."),
                    element=str(owner.get("id")),
                    name=node.id,
                )
            )
    return problems
