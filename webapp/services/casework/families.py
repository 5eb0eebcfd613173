"""The plug-in point of the casework core: each process family registers what is its own, and shared
contexts (deadlines) register what they add to every step. The core calls them and names none of them.

A family is wired in `services/assembly/installed.py`; nothing here imports a family package.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.people import User
from webapp.domain.tasks import Task
from webapp.engine.types import PendingTask
from webapp.services.platform.jobs import JobHandler


@dataclass(frozen=True)
class StepOutcome:
    """What one engine step of a case did, as a family sees it once the tasks are mirrored."""

    case: Case
    created: Sequence[Task]  # task rows this step opened
    data: Mapping[str, Any] | None  # the workflow's data after the step (None when it is not at hand)
    automatic_steps: tuple[str, ...]  # script, decision and timer steps the engine ran on its own
    actor: User | None


StepHook = Callable[[Session, StepOutcome], None]
CloseHook = Callable[[Session, Case, Mapping[str, Any], User | None], None]
ReadRule = Callable[[Session, Case, User], bool]
OpenedTasks = Sequence[tuple[Task, PendingTask]]


@dataclass(frozen=True)
class Fact:
    """One thing the officer deciding a step should see (an eligibility result, a household's size).

    `label` is an English message id; `value` is shown by `kind`: "text" as typed, "message" as a message
    id, "number" in the reader's digits, "yes_no"; a `headline` fact is set apart above the others."""

    label: str
    value: str | int | bool | None
    kind: str = "text"
    headline: bool = False
    note: str = ""  # a second line: who gave an answer, say (shown as typed)


DecisionContext = Callable[[Session, Case], list[Fact]]


@dataclass(frozen=True)
class Letterhead:
    """Who issues and signs a letter of a case: a family that issues letters in another office's name (NSSF
    writes as its branch, not as the one-stop office) says so; the letter keeps `office_code`, and the
    verification page names that area."""

    office_code: str  # the office's area, printed province first above its name
    office_name: str  # English message id
    signer_title: str  # English message id, printed as given (not the office's unit-type title)
    signer_name: str = ""
    address_code: str = ""  # where the office stands, printed with its parents under its name
    contact: str = ""  # English message id: the office's phone lines or address on the web
    titled_by_unit: bool = False  # True: the head of the office's area signs, titled by its unit type


LetterheadRule = Callable[[Session, Case, str], Letterhead]  # (session, case, letter key)
TaskObserver = Callable[[Session, Case, OpenedTasks, Sequence[str], User | None], None]
ReassignObserver = Callable[[Session, Task, User], None]  # (session, task with its new holder, supervisor)
CompletionObserver = Callable[[Session, Task], None]  # (session, task just completed, before the flush)


@dataclass(frozen=True)
class Family:
    """A process family: its processes and the hooks the core calls for their cases."""

    name: str
    processes: tuple[str, ...]
    on_step: StepHook | None = None  # after every engine step (tasks opened, decisions, escalations)
    # After every engine step too, but before its task rows are mirrored (`created` is empty): what the engine
    # decided on its own goes out in the step's one flush, where a hook after the mirror costs one more.
    on_result: StepHook | None = None
    on_close: CloseHook | None = None  # when the process has ended and the case is closed
    # Personal content (letters, documents, names) beyond the area rule; None: the area rule alone.
    may_read_personal: ReadRule | None = None
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)  # worker job kinds the family runs
    contracts: Mapping[str, Any] = field(default_factory=dict)  # process id -> what publishing must keep
    reports: Mapping[str, str] = field(default_factory=dict)  # report name -> its message id (title)
    # What the officer deciding a step of this family's case should see beside the form; None: nothing.
    decision_context: DecisionContext | None = None
    # Who issues and signs the family's letters; None: the one-stop office of the case's commune or district.
    letterhead: LetterheadRule | None = None


@dataclass
class _Registry:
    families: dict[str, Family] = field(default_factory=dict)
    by_process: dict[str, Family] = field(default_factory=dict)
    task_observers: list[TaskObserver] = field(default_factory=list)
    reassign_observers: list[ReassignObserver] = field(default_factory=list)
    completion_observers: list[CompletionObserver] = field(default_factory=list)
    installed: bool = False


_REGISTRY = _Registry()


def register_family(family: Family) -> None:
    """Registers (or replaces, by name) a family; a process belongs to exactly one family."""
    for process_id in family.processes:
        owner = _REGISTRY.by_process.get(process_id)
        if owner is not None and owner.name != family.name:
            raise ValueError(f"Process {process_id} already belongs to the family {owner.name}")
    _REGISTRY.families[family.name] = family
    for process_id in family.processes:
        _REGISTRY.by_process[process_id] = family
    _REGISTRY.installed = True


def observe_tasks(observer: TaskObserver) -> None:
    """A shared context's hook on every task the core opens (deadlines set due times here)."""
    if observer not in _REGISTRY.task_observers:
        _REGISTRY.task_observers.append(observer)


def observe_reassignments(observer: ReassignObserver) -> None:
    """A shared context's hook on every task a supervisor hands to an officer (notifications tell them)."""
    if observer not in _REGISTRY.reassign_observers:
        _REGISTRY.reassign_observers.append(observer)


def reassign_observers() -> tuple[ReassignObserver, ...]:
    return tuple(_REGISTRY.reassign_observers)


def observe_completions(observer: CompletionObserver) -> None:
    """A shared context's hook on every task an officer completes (deadlines keep its working time)."""
    if observer not in _REGISTRY.completion_observers:
        _REGISTRY.completion_observers.append(observer)


def completion_observers() -> tuple[CompletionObserver, ...]:
    return tuple(_REGISTRY.completion_observers)


def family_of(process_id: str) -> Family | None:
    _require_installed()
    return _REGISTRY.by_process.get(process_id)


def families() -> tuple[Family, ...]:
    _require_installed()
    return tuple(_REGISTRY.families.values())


def decision_facts(session: Session, case: Case) -> list[Fact]:
    """The facts the case's family puts before whoever decides its steps."""
    family = family_of(case.process_id)
    if family is None or family.decision_context is None:
        return []
    return family.decision_context(session, case)


def letterhead_of(session: Session, case: Case, key: str) -> Letterhead | None:
    """The office and signer the case's family gives its letter of kind `key`; None: the core's default."""
    family = family_of(case.process_id)
    if family is None or family.letterhead is None:
        return None
    return family.letterhead(session, case, key)


def task_observers() -> tuple[TaskObserver, ...]:
    _require_installed()
    return tuple(_REGISTRY.task_observers)


def _require_installed() -> None:
    # Fails loudly: a forgotten install would otherwise run cases without deadlines, letters or hooks.
    if not _REGISTRY.installed:
        raise RuntimeError("No process family is installed: call webapp.services.assembly.install() first.")
