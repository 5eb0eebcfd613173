"""Acting on several records at once: each goes through the same use case and its checks as alone, so one
refusal leaves the others done, and the officer hears how many of each.

Each use case run here checks before it changes anything (a refusal is raised before its first write), so a
refused record leaves nothing behind without a savepoint per record: on SQLite a savepoint opens the
transaction before the checks read, and a worker's commit in between would then refuse the request's first
write instead of making it wait."""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from webapp.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied, TaskNotAvailable
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.services.casework.tasks import claim_task, reassign_task

MOST_AT_ONCE = 100
# How a refusal reads in a summary ("3 claimed, 1 already taken"): each message id takes %(count)s;
# a refusal of another kind reads with its own message as %(reason)s.
OTHER_REFUSAL = N_("%(count)s not done: %(reason)s")
NOT_FOUND = N_("%(count)s not found")


@dataclass(frozen=True)
class BulkOutcome:
    done: int
    refused: tuple[tuple[str, str, int], ...] = ()  # (summary message id, reason message id, count)

    @property
    def refused_count(self) -> int:
        return sum(count for _summary, _reason, count in self.refused)


def each(
    ids: Iterable[int],
    action: Callable[[int], object],
    summaries: Mapping[type[DomainError], str],
) -> BulkOutcome:
    """Runs `action` on every id once; refusals are counted by kind, anything else fails the whole request."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > MOST_AT_ONCE:
        raise InvalidInput({"ids": [N_("Choose at most 100 at a time.")]})
    done, refused = 0, Counter[tuple[str, str]]()
    for item in unique:
        try:
            action(item)
        except DomainError as error:
            refused[_summary(error, summaries)] += 1
        else:
            done += 1
    return BulkOutcome(done, tuple((summary, reason, n) for (summary, reason), n in refused.items()))


def _summary(error: DomainError, summaries: Mapping[type[DomainError], str]) -> tuple[str, str]:
    reason = error.message
    if isinstance(error, InvalidInput) and error.errors:
        reason = next(iter(error.errors.values()))[0]
    for kind, summary in summaries.items():
        if isinstance(error, kind):
            return summary, reason
    return OTHER_REFUSAL, reason


CLAIM_REFUSALS: dict[type[DomainError], str] = {
    TaskNotAvailable: N_("%(count)s already taken"),
    NotFound: NOT_FOUND,
    PermissionDenied: N_("%(count)s for another role or area"),
}


def claim_tasks(session: Session, *, task_ids: Iterable[int], actor: User) -> BulkOutcome:
    """Claims each task through `claim_task`: the first officer to claim a task keeps it."""
    return each(task_ids, lambda task_id: claim_task(session, task_id=task_id, actor=actor), CLAIM_REFUSALS)


REASSIGN_REFUSALS: dict[type[DomainError], str] = {
    TaskNotAvailable: N_("%(count)s no longer open"),
    NotFound: NOT_FOUND,
}


def reassign_tasks(
    session: Session, *, task_ids: Iterable[int], assignee_id: int, actor: User
) -> BulkOutcome:
    """Hands each task to the officer through `reassign_task`, with its checks of role, area and level."""
    return each(
        task_ids,
        lambda task_id: reassign_task(session, task_id=task_id, assignee_id=assignee_id, actor=actor),
        REASSIGN_REFUSALS,
    )
