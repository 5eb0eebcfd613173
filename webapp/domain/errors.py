"""Domain errors: each carries an English message id that the web layer translates."""

from collections.abc import Mapping

from webapp.domain.messages import N_


class DomainError(Exception):
    """A refusal a person can understand. `message` is a message id with %(name)s placeholders."""

    message = N_("The request could not be completed.")
    status = 400

    def __init__(self, message: str | None = None, **params: object) -> None:
        self.message = message or type(self).message
        self.params = params
        super().__init__(self.message % params if params else self.message)


class NotFound(DomainError):
    message = N_("Not found.")
    status = 404


class PermissionDenied(DomainError):
    """Raised only where hiding existence makes no sense; out-of-area records raise NotFound."""

    message = N_("You are not allowed to do this.")
    status = 403


class CaseChanged(DomainError):
    message = N_(
        "This case was changed by someone else while you were working. Reload the page and try again."
    )
    status = 409


class ConcurrentChange(DomainError):
    """Two people changed the same thing at the same moment; the one who lost is asked to retry."""

    message = N_("Someone else changed this at the same moment. Reload the page and try again.")
    status = 409


class TaskNotAvailable(DomainError):
    message = N_("This task is no longer open, or it is not held by you.")
    status = 409


class ProcessStepFailed(DomainError):
    """An automatic step of the process (a script, condition or decision) failed; nothing was saved."""

    message = N_("The process could not continue at step %(step)s. Nothing was saved; tell your supervisor.")
    status = 409


class InvalidInput(DomainError):
    """Field errors: `errors` maps a field name to a list of message ids."""

    message = N_("Please correct the errors below.")
    status = 422

    def __init__(self, errors: Mapping[str, list[str]], message: str | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors)


class WorkflowInvalid(DomainError):
    """A process definition that cannot be deployed; `problems` lists what is wrong, in English ids."""

    message = N_("The process definition is not valid.")
    status = 422

    def __init__(self, problems: list[str], message: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        return "; ".join(self.problems) or self.message
