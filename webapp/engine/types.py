"""Plain frozen values the engine hands to the rest of Sala; nothing here imports SpiffWorkflow."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SpecRef:
    """A deployed process version as the engine needs it: the hash keys the in-memory spec cache."""

    content_hash: str
    spec_json: str


@dataclass(frozen=True)
class UserTaskInfo:
    """A user task as declared in the BPMN (for contract checks and the catalog)."""

    spec_name: str
    name: str
    lane: str | None
    form_key: str | None


@dataclass(frozen=True)
class DeployedProcess:
    process_id: str
    name: str
    content_hash: str
    files: Mapping[str, str]  # file name -> XML text, as deployed
    spec_json: str
    user_tasks: tuple[UserTaskInfo, ...]


@dataclass(frozen=True)
class PendingTask:
    """A READY human task: `id` is the engine's task UUID, `lane` its role, `name` its English label."""

    id: str
    spec_name: str
    name: str
    lane: str | None
    form_key: str | None
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WaitingTimer:
    """A BPMN timer waiting in a case: `id` is its engine task UUID, `due_at` naive UTC."""

    id: str
    spec_name: str
    due_at: datetime
    name: str = ""  # the boundary event's English label ("5 working days"), for the timeline


@dataclass(frozen=True)
class BeforeStep:
    """What the workflow had waiting when an officer's task was completed, before the engine ran it: the
    mirror knows from it which task and timer rows the case has, without reading them back."""

    ready: frozenset[str]  # engine ids of the human tasks that were ready, the completed one among them
    completed: str  # engine id of the task completed
    timers: tuple[WaitingTimer, ...]  # every timer that was waiting


@dataclass(frozen=True)
class StepResult:
    """The workflow after one engine step: its serialized state (no spec), what is ready, and its data."""

    state: str
    ready_tasks: tuple[PendingTask, ...]
    finished: bool
    data: Mapping[str, Any]
    automatic_steps: tuple[str, ...] = ()  # spec names of script/rule tasks run during this step
    timers: tuple[WaitingTimer, ...] = ()  # every timer still waiting after the step
    fired_timers: tuple[WaitingTimer, ...] = ()  # the timers this step fired
    before: BeforeStep | None = None  # what was waiting before an officer's task completed; None otherwise


@dataclass(frozen=True)
class OpeningStep:
    """A case started and its first human task completed by whoever opened it, in one engine run."""

    first: PendingTask  # the task the start left ready, now completed
    started_data: Mapping[str, Any]  # the data that task saw (the case's variables after the start)
    started_steps: tuple[str, ...]  # script and decision steps the start ran before that task
    result: StepResult  # the case after the task, as a step's result (its automatic steps: after the task)
