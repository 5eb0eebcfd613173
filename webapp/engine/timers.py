"""BPMN timers: the due times of waiting timers, firing those that are due, and checking helper calls."""

import ast
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimeDateEventDefinition, TimerEventDefinition
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from webapp.engine import safe_xml
from webapp.engine.types import WaitingTimer

_B = "{" + safe_xml.BPMN_NS + "}"
_TIMER_TAGS = (f"{_B}timeDate", f"{_B}timeDuration", f"{_B}timeCycle")
# While a timer date is evaluated again, the start of its step: helpers count from there instead of now.
STEP_STARTED_AT: ContextVar[datetime | None] = ContextVar("step_started_at", default=None)


def waiting_timers(workflow: BpmnWorkflow) -> tuple[WaitingTimer, ...]:
    """Every waiting timer whose date is known (SpiffWorkflow evaluates it when the timer starts waiting)."""
    return timers_among(workflow.get_tasks(state=TaskState.WAITING))


def timers_among(tasks: Iterable[Task]) -> tuple[WaitingTimer, ...]:
    """The waiting timers among `tasks` (a caller that walks the workflow for other tasks too)."""
    timers = []
    for task in tasks:
        if task.state != TaskState.WAITING:
            continue
        definition = getattr(task.task_spec, "event_definition", None)
        value = task.internal_data.get("event_value")
        if isinstance(definition, TimerEventDefinition) and isinstance(value, str):
            spec = task.task_spec
            timers.append(
                WaitingTimer(
                    id=str(task.id), spec_name=spec.bpmn_id, due_at=_utc(value), name=spec.bpmn_name or ""
                )
            )
    return tuple(timers)


def mark_due_timers(workflow: BpmnWorkflow, now: datetime) -> tuple[WaitingTimer, ...]:
    """Marks the timers due at `now` as fired; the caller then runs refresh_timers and the engine steps.

    SpiffWorkflow compares a timer with the machine's clock; marking by Sala's clock lets the worker and the
    tests decide what "now" is, and a timer never fires twice because its task leaves WAITING.
    """
    fired = []
    for timer in waiting_timers(workflow):
        if timer.due_at <= now:
            task = workflow.get_task_from_id(UUID(timer.id))
            task.internal_data["event_fired"] = True
            fired.append(timer)
    return tuple(fired)


def replay_timer_dates(workflow: BpmnWorkflow, started_at: Mapping[str, datetime]) -> tuple[str, ...]:
    """Evaluates again, as of its step's start, each waiting date timer attached to a step in `started_at`,
    so a corrected calendar moves deadlines already computed on the old one."""
    replayed = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        step = _attached_step(task)
        if not isinstance(definition, TimeDateEventDefinition) or step is None or step not in started_at:
            continue
        token = STEP_STARTED_AT.set(started_at[step])
        try:
            task.internal_data["event_value"] = workflow.script_engine.evaluate(task, definition.expression)
        finally:
            STEP_STARTED_AT.reset(token)
        replayed.append(task.task_spec.bpmn_id)
    return tuple(replayed)


def _attached_step(task: Task) -> str | None:
    """The step a boundary timer is attached to: SpiffWorkflow puts both under "<step>.BoundaryEventSplit"."""
    parent = task.parent
    name = parent.task_spec.name if parent is not None else ""
    return name.rsplit(".", 1)[0] if name.endswith(".BoundaryEventSplit") else None


def helper_call_problems(
    roots: Mapping[str, etree._Element], helpers: Mapping[str, Callable[..., object]]
) -> list[str]:
    """Timers written as a helper call with literal arguments are run once at deploy time, so an unknown
    calendar or a bad duration is refused then, not at 2 a.m. in the worker."""
    problems = []
    for name, root in roots.items():
        for element in root.iter(*_TIMER_TAGS):
            call = _literal_helper_call((element.text or "").strip(), helpers)
            if call is None:
                continue
            function, args, kwargs = call
            try:
                function(*args, **kwargs)
            except Exception as error:  # the helper's own message says what is wrong
                event = element.getparent()
                owner = event.getparent() if event is not None else None
                where = owner.get("id") if owner is not None else "?"
                problems.append(f"The timer of '{where}' in {name} cannot be computed: {error}.")
    return problems


def _literal_helper_call(
    text: str, helpers: Mapping[str, Callable[..., object]]
) -> tuple[Callable[..., object], list[object], dict[str, object]] | None:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and tree.func.id in helpers):
        return None
    try:
        args = [ast.literal_eval(arg) for arg in tree.args]
        kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in tree.keywords if kw.arg}
    except ValueError:  # an argument read from the task's data is known only when the case runs
        return None
    return helpers[tree.func.id], args, kwargs


def _utc(value: str) -> datetime:
    """Naive UTC, the form Sala stores; SpiffWorkflow's own reader handles dates and durations alike."""
    moment = TimerEventDefinition.get_datetime(value)
    return moment.astimezone(UTC).replace(tzinfo=None)
