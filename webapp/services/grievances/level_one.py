"""The first-round answer of a grievance gone up to level 2, as the committee and the level-2 officer read
it: what was answered, the decision and reasons, and who gave it (or that no answer came in time)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from webapp.domain.cases import Case
from webapp.domain.grievances import DECISIONS, Grievance
from webapp.domain.messages import N_
from webapp.domain.tasks import COMPLETED, Task
from webapp.services.casework.families import Fact

ANSWER_FIELD = "level1_action"  # every first-round form (village, commune, district) records it
ACTIONS = {
    "resolve": N_("Resolve it with a decision"),
    "resubmit": N_("Resubmit the application"),
    "send_up": N_("Send it up to the committee"),
    "send_to_commune": N_("No, send it to the commune assistant"),
    "to_province": N_("Complex case: channel it to the provincial committees"),
}
LATE = N_("The first-round answer was not given in time.")


@dataclass(frozen=True)
class LevelOneAnswer:
    action: str  # message id
    decision: str | None  # message id
    reason: str
    given_by: str
    given_at: datetime | None


def level_one_answers(session: Session, case_ids: Iterable[int]) -> dict[int, LevelOneAnswer]:
    """The last first-round answer of each case, in one query for the whole agenda."""
    wanted = list(case_ids)
    if not wanted:
        return {}
    rows = session.scalars(
        select(Task)
        .where(Task.case_id.in_(wanted), Task.status == COMPLETED, Task.submitted_json.contains(ANSWER_FIELD))
        .options(joinedload(Task.completed_by))
        .order_by(Task.completed_at, Task.id)
    )
    answers: dict[int, LevelOneAnswer] = {}
    for task in rows:
        data = json.loads(task.submitted_json or "{}")
        if ANSWER_FIELD not in data:
            continue
        action = str(data[ANSWER_FIELD])
        decision = data.get("decision")
        answers[task.case_id] = LevelOneAnswer(
            action=ACTIONS.get(action, action),
            decision=DECISIONS.get(str(decision)) if decision else None,
            reason=str(data.get("decision_reason") or ""),
            given_by=task.completed_by.full_name if task.completed_by else "",
            given_at=task.completed_at,
        )
    return answers


def decision_context(session: Session, case: Case) -> list[Fact]:
    """The family's decision hook: a grievance at level 2 shows its first-round answer and who gave it."""
    grievance = session.scalar(select(Grievance).where(Grievance.case_id == case.id))
    if grievance is None or grievance.level < 2:
        return []
    answer = level_one_answers(session, [case.id]).get(case.id)
    if answer is None:  # an appeal starts at the committee: there was no first round to show
        return (
            [Fact(N_("First-round answer"), LATE, "message", True)] if grievance.escalated_by_breach else []
        )
    facts = [Fact(N_("First-round answer"), answer.action, "message", True, note=answer.given_by)]
    if answer.decision:
        facts.append(Fact(N_("Decision"), answer.decision, "message", True))
    if answer.reason:
        facts.append(Fact(N_("Reasons given to the person"), answer.reason, "text", True))
    return facts
