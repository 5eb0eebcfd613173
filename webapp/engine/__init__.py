"""The workflow engine: the only package that imports SpiffWorkflow; it hands back plain values."""

from webapp.engine.contracts import ProcessContract
from webapp.engine.process_engine import ProcessEngine
from webapp.engine.runner import RunLimitExceeded, RunLimits, StepFailed
from webapp.engine.state import STATE_VERSION
from webapp.engine.timers import STEP_STARTED_AT
from webapp.engine.types import (
    DeployedProcess,
    OpeningStep,
    PendingTask,
    SpecRef,
    StepResult,
    UserTaskInfo,
    WaitingTimer,
)

__all__ = [
    "STATE_VERSION",
    "STEP_STARTED_AT",
    "DeployedProcess",
    "OpeningStep",
    "PendingTask",
    "ProcessContract",
    "ProcessEngine",
    "RunLimitExceeded",
    "RunLimits",
    "SpecRef",
    "StepFailed",
    "StepResult",
    "UserTaskInfo",
    "WaitingTimer",
]
