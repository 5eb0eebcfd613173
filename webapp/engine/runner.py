"""Run workflows: start one, complete a human task, list what is ready; always state in, state out."""

import keyword
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins import ScriptTaskMixin
from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from webapp.domain.errors import DomainError, TaskNotAvailable
from webapp.domain.messages import N_
from webapp.engine.pruning import prune_loop_rounds
from webapp.engine.state import LoadedSpec, dump_state
from webapp.engine.timers import mark_due_timers, replay_timer_dates, timers_among, waiting_timers
from webapp.engine.types import BeforeStep, PendingTask, StepResult, WaitingTimer

_AUTOMATIC = (ScriptTaskMixin, BusinessRuleTaskMixin)


class StepFailed(RuntimeError):
    """An automatic step (script, condition, decision) raised: nothing changed, since state is never saved."""

    def __init__(self, spec_name: str | None, detail: str) -> None:
        super().__init__(f"The step '{spec_name or '?'}' failed: {detail}")
        self.spec_name = spec_name
        self.detail = detail


@dataclass(frozen=True)
class RunLimits:
    """How much one engine run (a start, a completed task, fired timers) may do before it is stopped.

    A real run does a few dozen automatic steps in milliseconds; a process that calls itself or loops without
    a person's task would otherwise hold a request or a worker job for ever.
    """

    max_steps: int = 500
    max_seconds: float = 5.0


DEFAULT_LIMITS = RunLimits()


class RunLimitExceeded(StepFailed, DomainError):
    """The run was stopped at a limit; nothing is saved, since state is only saved after a run.

    A StepFailed (services that catch it keep working) and a DomainError whose `message` and `params` the web
    layer translates; `status` 409 like ProcessStepFailed.
    """

    status = 409
    STEPS = N_(
        "The process ran %(steps)s automatic steps without stopping at a person's task (the last was "
        "%(step)s): it may call itself or loop. Nothing was saved; tell your supervisor."
    )
    SECONDS = N_(
        "The process ran for more than %(seconds)s seconds without stopping at a person's task (the last "
        "step was %(step)s). Nothing was saved; tell your supervisor."
    )

    def __init__(self, message: str, *, step: str, **params: str) -> None:
        StepFailed.__init__(self, step, message % {"step": step, **params})
        self.message = message
        self.params = {"step": step, **params}


class _Budget:
    """Counts the automatic steps of one run and stops it at the step or time limit."""

    def __init__(self, limits: RunLimits) -> None:
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def charge(self, task: Task) -> None:
        self.steps += 1
        step = str(getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name)
        if self.steps > self.limits.max_steps:
            raise RunLimitExceeded(RunLimitExceeded.STEPS, step=step, steps=str(self.limits.max_steps))
        if time.monotonic() > self.deadline:
            seconds = f"{self.limits.max_seconds:g}"
            raise RunLimitExceeded(RunLimitExceeded.SECONDS, step=step, seconds=seconds)


def check_data(data: Mapping[str, Any], reserved: Mapping[str, Any]) -> dict[str, Any]:
    """The data as a dict whose keys scripts can use and cannot abuse; ValueError names any bad key."""
    for key in data:
        if (
            not isinstance(key, str)
            or not key.isidentifier()
            or keyword.iskeyword(key)
            or key.startswith("_")
        ):
            raise ValueError(f"{key!r} cannot be a workflow variable: use a plain lowercase name.")
        if key in reserved:
            raise ValueError(f"{key!r} is the name of a script helper and cannot be a workflow variable.")
    return dict(data)


def start_workflow(
    loaded: LoadedSpec, data: dict[str, Any], script_engine: PythonScriptEngine
) -> BpmnWorkflow:
    workflow = BpmnWorkflow(loaded.spec, dict(loaded.subprocess_specs), script_engine=script_engine)
    # The Start task is READY on a new workflow; every later task inherits its data.
    start = workflow.get_next_task(state=TaskState.READY, spec_name="Start")
    start.data.update(data)
    return workflow


def ready_task(workflow: BpmnWorkflow, task_id: str, lane: str) -> Task:
    """The READY human task `task_id` in `lane`, or TaskNotAvailable: SpiffWorkflow's run() checks neither."""
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except (ValueError, TaskNotFoundException) as error:
        raise TaskNotAvailable() from error
    if (
        task is None
        or task.state != TaskState.READY
        or not task.task_spec.manual
        or task.task_spec.lane != lane
    ):
        raise TaskNotAvailable()
    return task


def only_ready_task(workflow: BpmnWorkflow, lane: str) -> Task:
    """The one READY human task of a workflow just started, which must be in `lane`; else TaskNotAvailable."""
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    if len(ready) != 1 or ready[0].task_spec.lane != lane:
        raise TaskNotAvailable()
    return ready[0]


def pending_task(task: Task) -> PendingTask:
    return _pending(task)


def run_task(task: Task, data: Mapping[str, Any]) -> None:
    task.data.update(data)
    _guarded(task.run)


def run_engine(workflow: BpmnWorkflow, limits: RunLimits | None = None) -> tuple[str, ...]:
    """Run every automatic task that is ready; return the bpmn ids of the scripts and decisions that ran.

    RunLimitExceeded when the run takes more steps or time than `limits` allow.
    """
    automatic: list[str] = []
    budget = _Budget(limits or DEFAULT_LIMITS)

    def record(task: Task) -> None:
        if isinstance(task.task_spec, _AUTOMATIC):
            automatic.append(task.task_spec.bpmn_id)

    _guarded(lambda: workflow.do_engine_steps(will_complete_task=budget.charge, did_complete_task=record))
    prune_loop_rounds(workflow)
    return tuple(automatic)


def fire_timers(
    workflow: BpmnWorkflow, now: datetime, limits: RunLimits | None = None
) -> tuple[tuple[WaitingTimer, ...], tuple[str, ...]]:
    """Fires the timers due at `now` (refresh_timers, then the engine steps, as SpiffWorkflow 3.2 needs)."""
    fired = mark_due_timers(workflow, now)
    if not fired:
        return fired, ()
    _guarded(workflow.refresh_timers)
    return fired, run_engine(workflow, limits)


def answer_wait(
    workflow: BpmnWorkflow, step: str, data: Mapping[str, Any], limits: RunLimits | None = None
) -> tuple[tuple[WaitingTimer, ...], tuple[str, ...]]:
    """The timer event `step`, where the case waits for an answer from outside (a check Sala's worker runs),
    goes on now with `data`; its timer is the time limit of that wait. Nothing happens when the case is not
    waiting there (the limit has passed, or the diagram has no such wait)."""
    waiting = next((timer for timer in waiting_timers(workflow) if timer.spec_name == step), None)
    if waiting is None:
        return (), ()
    task = workflow.get_task_from_id(UUID(waiting.id))
    task.internal_data["event_fired"] = True
    _guarded(workflow.refresh_timers)
    task.data.update(data)  # after the refresh, which makes the event ready and merges its parent's data in
    return (waiting,), run_engine(workflow, limits)


def replay_timers(workflow: BpmnWorkflow, started_at: Mapping[str, datetime]) -> tuple[str, ...]:
    replayed: tuple[str, ...] = ()

    def replay() -> None:
        nonlocal replayed
        replayed = replay_timer_dates(workflow, started_at)

    _guarded(replay)
    return replayed


def pending_tasks(workflow: BpmnWorkflow) -> tuple[PendingTask, ...]:
    return tuple(_pending(task) for task in workflow.get_tasks(state=TaskState.READY, manual=True))


def before_step(workflow: BpmnWorkflow, completed: str) -> BeforeStep:
    """The human tasks ready and the timers waiting before the task `completed` runs."""
    ready, waiting = _ready_and_waiting(workflow)
    return BeforeStep(ready=frozenset(str(task.id) for task in ready), completed=completed, timers=waiting)


def _ready_and_waiting(workflow: BpmnWorkflow) -> tuple[list[Task], tuple[WaitingTimer, ...]]:
    """The ready human tasks and the waiting timers, found in one walk of the workflow's tasks."""
    found = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
    ready = [task for task in found if task.state == TaskState.READY and task.task_spec.manual]
    return ready, timers_among(found)


def step_result(
    serializer: BpmnWorkflowSerializer,
    workflow: BpmnWorkflow,
    automatic: tuple[str, ...],
    fired: tuple[WaitingTimer, ...] = (),
    before: BeforeStep | None = None,
) -> StepResult:
    ready, waiting = _ready_and_waiting(workflow)
    return StepResult(
        state=dump_state(serializer, workflow),
        ready_tasks=tuple(_pending(task) for task in ready),
        finished=workflow.completed,
        data=current_data(workflow, ready),
        automatic_steps=automatic,
        timers=waiting,
        fired_timers=fired,
        before=before,
    )


def current_data(workflow: BpmnWorkflow, ready: list[Task]) -> dict[str, Any]:
    """The case's variables after a step.

    Finished: the workflow's final data. Otherwise the data the ready human tasks see (each holds all that
    was completed before it), merged; with nothing ready (a timer waits), the last completed task's data.
    """
    if workflow.completed:
        return dict(workflow.data)
    if ready:
        merged: dict[str, Any] = {}
        for task in ready:
            merged.update(task.data)
        return merged
    completed = workflow.get_tasks(state=TaskState.COMPLETED)
    latest = max(completed, key=lambda task: task.last_state_change, default=None)
    return dict(latest.data) if latest is not None else {}


def _pending(task: Task) -> PendingTask:
    spec = task.task_spec
    properties = dict((getattr(spec, "extensions", None) or {}).get("properties") or {})
    return PendingTask(
        id=str(task.id),
        spec_name=spec.bpmn_id,
        name=spec.bpmn_name or spec.bpmn_id,
        lane=spec.lane,
        form_key=properties.get("formKey"),
        properties=properties,
    )


def _guarded(call: Callable[[], Any]) -> None:
    try:
        call()
    except SpiffWorkflowException as error:
        task_spec = getattr(getattr(error, "task", None), "task_spec", None) or getattr(
            error, "task_spec", None
        )
        raise StepFailed(getattr(task_spec, "bpmn_id", None), str(error)) from error
