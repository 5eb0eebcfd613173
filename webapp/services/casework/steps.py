"""Running one engine step of a case: its failures become a refusal the officer can read."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from webapp.domain.errors import ProcessStepFailed
from webapp.engine import RunLimitExceeded, StepFailed

log = logging.getLogger(__name__)


@contextmanager
def engine_step(case_reference: str) -> Iterator[None]:
    """A failing script, condition or decision refuses the step (nothing is saved); a run stopped at its
    step or time limit keeps its own message."""
    try:
        yield
    except RunLimitExceeded as error:
        log.error("Case %s: %s", case_reference, error)
        raise
    except StepFailed as error:
        log.error("Case %s: %s", case_reference, error)
        raise ProcessStepFailed(step=error.spec_name or "?") from error
