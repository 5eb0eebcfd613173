"""Timer expressions are Python that must give an ISO 8601 date, duration or cycle: evaluate each one."""

import ast
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from webapp.domain.messages import N_
from webapp.domain.publishing import ValidationProblem
from webapp.engine import safe_xml
from webapp.engine.diagram_graph import problem

_B = "{" + safe_xml.BPMN_NS + "}"
_KINDS = (f"{_B}timeDate", f"{_B}timeDuration", f"{_B}timeCycle")
# Only what a timer needs: strings, numbers, helper calls, + and %. "P" * 10**9 must not run at publish time.
_ALLOWED_NODES = (
    ast.Expression,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Call,
    ast.keyword,
    ast.BinOp,
    ast.Add,
    ast.Mod,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.Tuple,
)
_LONGEST_MONTHS = 1200  # SpiffWorkflow walks month by month; a century is plenty for a deadline
FIX_TIMER = N_(
    'Write the value in quotes, e.g. "P5D" for five days or "2026-12-01T08:00:00+07:00" for a date.'
)


_Reason = tuple[str, dict[str, str]]  # message id with %(element)s and its other parameters


def timer_problems(
    root: etree._Element, helpers: Mapping[str, Callable[..., Any]]
) -> list[ValidationProblem]:
    problems = []
    for element in root.iter(*_KINDS):
        owner = _event(element)
        reason = _timer_error(element.tag, (element.text or "").strip(), helpers)
        if reason is not None:
            message, params = reason
            problems.append(problem(owner, message, FIX_TIMER, element=str(owner.get("id") or ""), **params))
    return problems


def _event(element: etree._Element) -> etree._Element:
    node = element.getparent()
    while node is not None and node.tag == f"{_B}timerEventDefinition":
        node = node.getparent()
    return node if node is not None else element


def _timer_error(tag: str, text: str, helpers: Mapping[str, Callable[..., Any]]) -> _Reason | None:
    """Why the timer cannot be used, or None when it evaluates to a usable value."""
    if not text:
        return N_("The timer of %(element)s is empty."), {}
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return N_("The timer of %(element)s is neither a quoted value nor a helper call."), {}
    if not all(isinstance(node, _ALLOWED_NODES) for node in ast.walk(tree)):
        return N_("The timer of %(element)s may use only quoted values, helper calls, + and %%."), {}
    unknown = sorted(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in helpers)
    if unknown:
        return N_("The timer of %(element)s uses %(name)s, which is not a script helper."), {
            "name": unknown[0]
        }
    try:
        value = eval(compile(tree, "timer", "eval"), {"__builtins__": {}, **helpers})  # noqa: S307
    except Exception as error:  # a helper may raise anything
        return N_("The timer of %(element)s fails: %(error)s."), {"error": type(error).__name__}
    if not isinstance(value, str):
        return N_("The timer of %(element)s does not give a text value."), {}
    return _iso_error(tag, value)


def _iso_error(tag: str, value: str) -> _Reason | None:
    try:
        if tag == f"{_B}timeDuration":
            _check_duration(value)
        elif tag == f"{_B}timeDate":
            if datetime.fromisoformat(value).tzinfo is None:
                return N_("The date %(value)s of the timer of %(element)s has no time zone."), {
                    "value": value
                }
        else:
            _check_cycle(value)
    except Exception:  # SpiffWorkflow's parsers raise bare Exception on bad input
        return N_("The timer of %(element)s gives %(value)s, which is not an ISO 8601 value."), {
            "value": value
        }
    return None


def _check_duration(value: str) -> None:
    if not value.upper().startswith("P"):
        raise ValueError(value)
    parsed = TimerEventDefinition.parse_iso_duration(value)
    if parsed.get("years", 0) * 12 + parsed.get("months", 0) > _LONGEST_MONTHS:
        raise ValueError(value)
    TimerEventDefinition.get_timedelta_from_start(parsed)


def _check_cycle(value: str) -> None:
    parts = value.upper().replace("--", "/").strip("R").split("/")
    for part in parts[1:]:
        if part.startswith("P"):
            _check_duration(part)
    TimerEventDefinition.parse_iso_recurring_interval(value)
