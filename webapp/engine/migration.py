"""Moving a running case to another version of its process: SpiffWorkflow 3.2 has no API for it.

The saved state is re-read against the new version's spec. Predicted tasks (what the old diagram expected to
come next) are dropped and predicted again from the new diagram; every task that happened or is under way
must still exist in the new version, otherwise the case cannot move.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from webapp.engine import runner
from webapp.engine.process_engine import ProcessEngine
from webapp.engine.state import LoadedSpec
from webapp.engine.types import SpecRef, StepResult

_PREDICTED = TaskState.PREDICTED_MASK | TaskState.FUTURE


@dataclass(frozen=True)
class MigrationCheck:
    """Whether a case's state can move to a version; `missing` names its steps the new version lacks."""

    missing: tuple[str, ...]

    @property
    def possible(self) -> bool:
        return not self.missing


# This module reaches into ProcessEngine's spec cache, serializer and script engine: it is the engine's own
# package, and a public accessor would hand SpiffWorkflow objects to callers outside it.


def check_migration(engine: ProcessEngine, new: SpecRef, state: str) -> MigrationCheck:
    loaded = engine._spec(new)
    return MigrationCheck(tuple(sorted(_missing(_pruned(json.loads(state)), loaded))))


def migrate_state(engine: ProcessEngine, new: SpecRef, state: str) -> StepResult:
    """The case's state on version `new`, with what is ready; ValueError when a step of it is missing."""
    loaded = engine._spec(new)
    dct = _pruned(json.loads(state))
    missing = _missing(dct, loaded)
    if missing:
        raise ValueError(f"steps missing from the new version: {', '.join(sorted(missing))}")
    workflow = _load(engine, loaded, dct)
    _predict(workflow)
    return runner.step_result(engine._serializer, workflow, ())


def _load(engine: ProcessEngine, loaded: LoadedSpec, dct: dict[str, Any]) -> BpmnWorkflow:
    serializer = engine._serializer
    dct["spec"] = loaded.spec
    dct["subprocess_specs"] = dict(loaded.subprocess_specs)
    serializer.migrate(dct)
    workflow: BpmnWorkflow = serializer.from_dict(dct)
    workflow.script_engine = engine._script_engine
    return workflow


def _pruned(dct: dict[str, Any]) -> dict[str, Any]:
    """The state without predicted tasks, in the top workflow and in every subprocess."""
    _prune_tasks(dct)
    for sub in dct.get("subprocesses", {}).values():
        _prune_tasks(sub)
    return dct


def _prune_tasks(workflow: dict[str, Any]) -> None:
    tasks: dict[str, dict[str, Any]] = workflow["tasks"]
    dropped = {task_id for task_id, task in tasks.items() if task["state"] & _PREDICTED}
    for task_id in dropped:
        del tasks[task_id]
    for task in tasks.values():
        task["children"] = [child for child in task["children"] if child not in dropped]


def _missing(dct: dict[str, Any], loaded: LoadedSpec) -> set[str]:
    missing = _absent(dct["tasks"].values(), set(loaded.spec.task_specs))
    for sub in dct.get("subprocesses", {}).values():
        spec = loaded.subprocess_specs.get(sub["spec"])
        if spec is None:
            missing.add(sub["spec"])
        else:
            missing |= _absent(sub["tasks"].values(), set(spec.task_specs))
    return missing


def _absent(tasks: Iterable[dict[str, Any]], names: set[str]) -> set[str]:
    return {task["task_spec"] for task in tasks if task["task_spec"] not in names}


def _predict(workflow: BpmnWorkflow) -> None:
    """Predicts again, from the new diagram, what follows each task that is under way."""
    for task in {task.id: task for task in workflow.get_tasks(state=TaskState.DEFINITE_MASK)}.values():
        spec = task.task_spec
        if all(child.task_spec in spec.outputs for child in task.children):
            spec._predict_hook(task)
        else:
            # A loop or subprocess task holds its running child besides its outputs: only add what is missing.
            present = {child.task_spec for child in task.children}
            for output in spec.outputs:
                if output not in present:
                    task._add_child(output, TaskState.FUTURE)
        for child in task.children:
            if child.has_state(_PREDICTED):
                child.task_spec._predict(child, mask=_PREDICTED)
