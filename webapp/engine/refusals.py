"""The engine's refusals of a diagram, located on the element at fault and worded for a supervisor.

SpiffWorkflow reports a broken diagram with XML Schema text ("Element '{http://…}bogus': This element is not
expected. Expected is one of ( … )"), Python reprs (RecursionError(…)) or its own sentences. The CLI keeps the
English sentences in `WorkflowInvalid.problems`; publishing shows `located`, which names the element, never
carries schema or lxml text, and says what to do.
"""

import re
from collections.abc import Iterable

from lxml import etree

from webapp.domain.errors import WorkflowInvalid
from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine.diagram_graph import label, problem

FIX_ENGINE = N_("Correct the element the message names, or start again from the published version.")
FIX_SCHEMA = N_(
    "Open the diagram in the modeler, delete or recreate that element and save again; "
    "Sala accepts BPMN 2.0 as the modeler writes it."
)
_SCHEMA = re.compile(r"^Element '(?:\{[^}]*\})?(?P<tag>[\w.-]+)'(?:, attribute '(?P<attribute>[^']+)')?: ")
_QUOTED_ID = re.compile(r"'([A-Za-z_][\w.-]*)'")


class DiagramRefused(WorkflowInvalid):
    """WorkflowInvalid whose problems are also given located, one for one, as message ids."""

    def __init__(self, problems: list[str], located: list[ValidationProblem]) -> None:
        super().__init__(problems)
        self.located = list(located)


def parser_problem(
    detail: str, element_id: str | None, line: int | None, root: etree._Element | None
) -> ValidationProblem:
    """A SpiffWorkflow parser or schema failure, located by element id, else by line."""
    at = _by_id(root, element_id)
    if at is None:
        at = _by_line(root, line)
    where = label(at) if at is not None else (f"line {line}" if line else "the diagram")
    return _schema_problem(detail, at, where) or _engine_problem(detail, at, where)


def _schema_problem(detail: str, at: etree._Element | None, where: str) -> ValidationProblem | None:
    """An XML Schema refusal (an element or attribute BPMN 2.0 does not allow), else None."""
    found = _SCHEMA.match(detail)
    if found and found.group("attribute"):
        return problem(
            at,
            N_("The value of %(attribute)s on %(element)s is not allowed by the BPMN 2.0 standard."),
            FIX_SCHEMA,
            attribute=found.group("attribute"),
            element=where,
        )
    if found:
        return problem(
            at,
            N_("%(element)s contains a %(tag)s where the BPMN 2.0 standard does not allow one."),
            FIX_SCHEMA,
            tag=found.group("tag"),
            element=where,
        )
    return None


def _engine_problem(detail: str, at: etree._Element | None, where: str) -> ValidationProblem:
    """A refusal the engine words itself: too deep, several outgoing flows, or another sentence."""
    if "RecursionError" in detail or "recursion" in detail.lower():
        return problem(
            at,
            N_("%(element)s is nested or chained too deeply for the workflow engine."),
            N_("Model a repeated step as a loop, or split the work into smaller processes."),
            element=where,
        )
    if detail.startswith(("Multiple outgoing flows are not supported", "Multiple outgoing flows")):
        return problem(
            at,
            N_("%(element)s has more than one outgoing flow, which only gateways may have."),
            N_("Add an exclusive or parallel gateway after it and draw the flows from the gateway."),
            element=where,
        )
    return problem(
        at,
        N_("The workflow engine cannot use %(element)s: %(detail)s"),
        FIX_ENGINE,
        element=where,
        detail=_first_sentence(detail),
    )


def text_problem(text: str, roots: Iterable[etree._Element]) -> ValidationProblem:
    """An engine sentence that quotes the id of the element at fault ('prepare'), located on that element."""
    for quoted in _QUOTED_ID.findall(text):
        for root in roots:
            at = _by_id(root, quoted)
            if at is not None:
                return problem(
                    at,
                    N_("The workflow engine refuses %(element)s: %(detail)s"),
                    FIX_ENGINE,
                    element=label(at),
                    detail=text,
                )
    return problem(None, N_("The workflow engine refuses the diagram: %(detail)s"), FIX_ENGINE, detail=text)


def _by_id(root: etree._Element | None, element_id: str | None) -> etree._Element | None:
    if root is None or not element_id:
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") == element_id:
            return element
    return None


def _by_line(root: etree._Element | None, line: int | None) -> etree._Element | None:
    """The element on `line`, or the nearest ancestor of it that has an id (the task, not its script)."""
    if root is None or not line:
        return None
    for element in root.iter():
        if isinstance(element.tag, str) and element.sourceline == line:
            node: etree._Element | None = element
            while node is not None and not node.get("id"):
                node = node.getparent()
            return node if node is not None else element
    return None


def _first_sentence(detail: str) -> str:
    # Schema and lxml advice comes after the first sentence; the supervisor needs only what is wrong.
    return detail.split(" Expected is", 1)[0].split("\n", 1)[0].strip()[:300]
