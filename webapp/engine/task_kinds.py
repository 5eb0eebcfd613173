"""The kinds of step Sala can run: service tasks, messages and complex gateways are refused at publishing.

Sala's processes use user tasks, script tasks, business rule tasks (DMN), subprocesses, call activities,
gateways and timers. SpiffWorkflow would accept a service task or a message and then fail or wait forever in a
running case: nothing in Sala calls a service or delivers a message.
"""

from lxml import etree

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import label, problem

_B = "{" + safe_xml.BPMN_NS + "}"
_MESSAGE = N_("%(element)s sends or waits for a message, and Sala delivers no messages between processes.")
_FIX_MESSAGE = N_("Use a user task for the person who sends or receives it, or a timer to wait.")
_REFUSED = {
    f"{_B}serviceTask": (
        N_("%(element)s is a service task, and Sala has no service a process can call."),
        N_("Make it a script task that sets the variables, or a user task for the person who does it."),
    ),
    f"{_B}sendTask": (_MESSAGE, _FIX_MESSAGE),
    f"{_B}receiveTask": (_MESSAGE, _FIX_MESSAGE),
    f"{_B}complexGateway": (
        N_("%(element)s is a complex gateway, which the workflow engine cannot run."),
        N_("Use an exclusive, inclusive or parallel gateway instead."),
    ),
}
_EVENTS = (f"{_B}startEvent", f"{_B}intermediateCatchEvent", f"{_B}intermediateThrowEvent", f"{_B}endEvent")
_TRIGGERS = ("message", "signal", "timer", "conditional", "escalation", "error", "compensate", "link")


def task_kind_problems(root: etree._Element) -> list[ValidationProblem]:
    """Every step of a kind Sala cannot run, named, with what to use instead."""
    problems = []
    for element in root.iter(*_REFUSED, *_EVENTS, f"{_B}boundaryEvent", f"{_B}callActivity"):
        found = _problem(element)
        if found is not None:
            problems.append(found)
    return problems


def _problem(element: etree._Element) -> ValidationProblem | None:
    if element.tag in _REFUSED:
        message, hint = _REFUSED[element.tag]
        return problem(element, message, hint, element=label(element))
    if element.tag == f"{_B}callActivity":
        if not (element.get("calledElement") or "").strip():
            return problem(
                element,
                N_("%(element)s calls no process."),
                N_("Choose the process it calls in the properties panel, or make it a subprocess."),
                element=label(element),
            )
        return None
    if element.find(f"{_B}messageEventDefinition") is not None:
        return problem(element, _MESSAGE, _FIX_MESSAGE, element=label(element))
    if element.tag == f"{_B}startEvent" and _starts_a_case(element) and _trigger(element):
        return problem(
            element,
            N_("%(element)s waits for a %(trigger)s, but Sala starts a case itself when it is opened."),
            N_("Make it a plain start event: remove its trigger in the properties panel."),
            element=label(element),
            trigger=_trigger(element),
        )
    return None


def _starts_a_case(start: etree._Element) -> bool:
    """A start event of a top-level process (an event subprocess may start on a trigger)."""
    parent = start.getparent()
    return parent is not None and parent.tag == f"{_B}process"


def _trigger(event: etree._Element) -> str:
    for trigger in _TRIGGERS:
        if event.find(f"{_B}{trigger}EventDefinition") is not None:
            return trigger
    return ""
