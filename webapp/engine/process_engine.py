"""ProcessEngine: the one object services use to deploy processes and move cases through them."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow

from webapp.domain.errors import WorkflowInvalid
from webapp.engine import library, runner, safe_xml, timers
from webapp.engine.decisions import DecisionTables
from webapp.engine.script_env import HELPERS, create_script_engine
from webapp.engine.state import LoadedSpec, create_serializer, load_spec, load_state
from webapp.engine.types import (
    DeployedProcess,
    OpeningStep,
    PendingTask,
    SpecRef,
    StepResult,
    WaitingTimer,
)


class ProcessEngine:
    """Parser, serializer and restricted script engine together; holds no case, only a cache of specs."""

    def __init__(
        self,
        helpers: Mapping[str, Callable[..., Any]] | None = None,
        cache_size: int = 64,
        limits: runner.RunLimits = runner.DEFAULT_LIMITS,
    ) -> None:
        self._limits = limits
        self._serializer = create_serializer()
        self._script_engine = create_script_engine(helpers)
        self._reserved = {**HELPERS, **(helpers or {})}
        self._cache: OrderedDict[str, LoadedSpec] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._decisions = DecisionTables(self._script_engine)

    @property
    def script_helpers(self) -> Mapping[str, Callable[..., Any]]:
        """Every name a script may call: the publishing checks allow exactly these."""
        return dict(self._reserved)

    def deploy(self, process_id: str, files: Mapping[str, bytes]) -> DeployedProcess:
        deployed, loaded = library.deploy(process_id, files, self._serializer)
        bpmn = {name: safe_xml.parse(name, data) for name, data in files.items() if name.endswith(".bpmn")}
        problems = timers.helper_call_problems(bpmn, self._reserved)
        if problems:
            raise WorkflowInvalid(problems=problems)
        self._remember(deployed.content_hash, loaded)
        return deployed

    def read_directory(self, directory: Path) -> list[DeployedProcess]:
        """Deploy every process of a folder; WorkflowInvalid lists the problems of all of them."""
        deployed, problems = [], []
        for process_id, files in library.directory_files(directory).items():
            try:
                deployed.append(self.deploy(process_id, files))
            except WorkflowInvalid as error:
                problems += error.problems
        if problems:
            raise WorkflowInvalid(problems=problems)
        return deployed

    def start(self, spec: SpecRef, data: Mapping[str, Any]) -> StepResult:
        workflow = runner.start_workflow(self._spec(spec), self._checked(data), self._script_engine)
        automatic = runner.run_engine(workflow, self._limits)
        return runner.step_result(self._serializer, workflow, automatic)

    def complete_task(
        self, spec: SpecRef, state: str, task_id: str, data: Mapping[str, Any], *, lane: str
    ) -> StepResult:
        workflow = self._restore(spec, state)
        task = runner.ready_task(workflow, task_id, lane)
        before = runner.before_step(workflow, task_id)
        runner.run_task(task, self._checked(data))
        automatic = runner.run_engine(workflow, self._limits)
        return runner.step_result(self._serializer, workflow, automatic, before=before)

    def start_and_complete(
        self, spec: SpecRef, data: Mapping[str, Any], step_data: Mapping[str, Any], *, lane: str
    ) -> OpeningStep:
        """Starts a case and completes, with `step_data`, the one human task the start leaves ready, which
        must be in `lane` (TaskNotAvailable otherwise); the state is serialized once, after the task."""
        workflow = runner.start_workflow(self._spec(spec), self._checked(data), self._script_engine)
        started = runner.run_engine(workflow, self._limits)
        task = runner.only_ready_task(workflow, lane)
        first, started_data = runner.pending_task(task), dict(task.data)
        before = runner.before_step(workflow, first.id)
        runner.run_task(task, self._checked(step_data))
        automatic = runner.run_engine(workflow, self._limits)
        result = runner.step_result(self._serializer, workflow, automatic, before=before)
        return OpeningStep(first=first, started_data=started_data, started_steps=started, result=result)

    def fire_timers(self, spec: SpecRef, state: str, *, now: datetime) -> StepResult:
        """Fires the case's timers due at `now` (naive UTC); `fired_timers` is empty when none was due."""
        workflow = self._restore(spec, state)
        fired, automatic = runner.fire_timers(workflow, now, self._limits)
        return runner.step_result(self._serializer, workflow, automatic, fired)

    def answer_wait(self, spec: SpecRef, state: str, *, step: str, data: Mapping[str, Any]) -> StepResult:
        """The case waiting at timer event `step` goes on with `data`; `fired_timers` is empty (and nothing
        changed) when it was not waiting there."""
        workflow = self._restore(spec, state)
        fired, automatic = runner.answer_wait(workflow, step, self._checked(data), self._limits)
        return runner.step_result(self._serializer, workflow, automatic, fired)

    def replay_timers(self, spec: SpecRef, state: str, *, started_at: Mapping[str, datetime]) -> StepResult:
        """Timer dates evaluated again as of their steps' starts (step bpmn id -> naive UTC start)."""
        workflow = self._restore(spec, state)
        runner.replay_timers(workflow, started_at)
        return runner.step_result(self._serializer, workflow, ())

    def waiting_timers(self, spec: SpecRef, state: str) -> tuple[WaitingTimer, ...]:
        return timers.waiting_timers(self._restore(spec, state))

    def ready_tasks(self, spec: SpecRef, state: str) -> tuple[PendingTask, ...]:
        return runner.pending_tasks(self._restore(spec, state))

    def evaluate_decision(
        self, dmn_name: str, inputs: Mapping[str, Any], *, files: Mapping[str, str | bytes]
    ) -> dict[str, Any]:
        """The outputs of decision `dmn_name` (file `<dmn_name>.dmn` of `files`, as a published version holds
        them) for `inputs`, evaluated with the scripts' helpers; empty when no rule matches."""
        file_name = f"{dmn_name}.dmn"
        xml = files.get(file_name)
        if xml is None:
            raise WorkflowInvalid(problems=[f"{file_name} is not among the process's files."])
        data = xml.encode("utf-8") if isinstance(xml, str) else xml
        return self._decisions.evaluate(file_name, data, dmn_name, self._checked(inputs))

    def _checked(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return runner.check_data(data, self._reserved)

    def _restore(self, spec: SpecRef, state: str) -> BpmnWorkflow:
        return load_state(self._serializer, self._spec(spec), state, self._script_engine)

    def _spec(self, ref: SpecRef) -> LoadedSpec:
        with self._lock:
            loaded = self._cache.get(ref.content_hash)
            if loaded is not None:
                self._cache.move_to_end(ref.content_hash)
                return loaded
        # Loading outside the lock: two threads may both load a new version once, which is harmless.
        loaded = load_spec(self._serializer, ref.spec_json)
        self._remember(ref.content_hash, loaded)
        return loaded

    def _remember(self, content_hash: str, loaded: LoadedSpec) -> None:
        with self._lock:
            self._cache[content_hash] = loaded
            self._cache.move_to_end(content_hash)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
