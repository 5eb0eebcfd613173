"""What an application's steps leave on its timeline beyond the tasks: the eligibility decision."""

from sqlalchemy.orm import Session

from webapp.services.casework.events import record_event
from webapp.services.casework.families import StepOutcome

ELIGIBILITY_STEP = "evaluate_eligibility"  # the BPMN business rule task that runs the DMN
ELIGIBILITY_EVENT = "eligibility_decided"


def record_eligibility(session: Session, step: StepOutcome) -> None:
    """The family's step hook: when the decision table ran, its result and reason go on the timeline."""
    if ELIGIBILITY_STEP not in step.automatic_steps or step.data is None:
        return
    record_event(
        session,
        case=step.case,
        kind=ELIGIBILITY_EVENT,
        actor=None,
        after={"eligible": step.data.get("eligible"), "reason": step.data.get("eligibility_reason")},
    )
