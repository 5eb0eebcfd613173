"""Committee meetings: the secretary schedules one, its agenda is the area's pending level-2 grievances, and
the decisions are recorded case by case (each completes the grievance's committee step)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied, TaskNotAvailable
from webapp.domain.grievances import (
    COMMITTEE_SECRETARY_ROLE,
    DECISIONS,
    HELD,
    MEETING_EVERY_MONTHS,
    SCHEDULED,
    CommitteeDecision,
    CommitteeMeeting,
    Grievance,
)
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.casework.listing import Choice, Day, ListQuery, ListSpec, Page, Sort, read_page
from webapp.services.casework.tasks import submit_task
from webapp.services.grievances.level_one import LevelOneAnswer, level_one_answers

COMMITTEE_OF_ROLE = {role: committee for committee, role in COMMITTEE_SECRETARY_ROLE.items()}


@dataclass(frozen=True)
class AgendaItem:
    grievance: Grievance
    task: Task
    level_one: LevelOneAnswer | None = None  # the first-round answer and who gave it; None: none came


def committee_of(user: User) -> str:
    committee = COMMITTEE_OF_ROLE.get(user.role)
    if committee is None or not user.area_code:
        raise NotFound(N_("Meeting not found."))
    return committee


MEETING_LIST = ListSpec(
    name="committee_meetings",
    filters={
        "status": Choice((SCHEDULED, HELD), lambda status: CommitteeMeeting.status == status),
        "from": Day(lambda day: CommitteeMeeting.meets_on >= day),
        "to": Day(lambda day: CommitteeMeeting.meets_on <= day),
    },
    sorts={
        "newest": Sort((CommitteeMeeting.meets_on.desc(), CommitteeMeeting.id.desc())),
        "oldest": Sort((CommitteeMeeting.meets_on, CommitteeMeeting.id)),
    },
    default_sort="newest",
    per_page=24,
)


def meeting_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """The meetings of the user's committee, latest date first unless sorted otherwise."""
    query = select(CommitteeMeeting).where(
        CommitteeMeeting.committee == committee_of(user), CommitteeMeeting.area_code == user.area_code
    )
    return read_page(session, query, listing, now=now)


def next_meeting_date(session: Session, *, user: User, today: date) -> date:
    """The default date: a month (CWCC) or two (TCC) after the last meeting, never before today."""
    last = session.scalar(
        select(CommitteeMeeting.meets_on)
        .where(CommitteeMeeting.committee == committee_of(user), CommitteeMeeting.area_code == user.area_code)
        .order_by(CommitteeMeeting.meets_on.desc())
        .limit(1)
    )
    if last is None:
        return today
    months = last.month - 1 + MEETING_EVERY_MONTHS[committee_of(user)]
    following = date(last.year + months // 12, months % 12 + 1, min(last.day, 28))
    return max(following, today)


def schedule_meeting(session: Session, *, actor: User, meets_on: date, today: date) -> CommitteeMeeting:
    committee = committee_of(actor)
    if meets_on < today:
        raise InvalidInput({"meets_on": [N_("A meeting cannot be scheduled in the past.")]})
    meeting = CommitteeMeeting(
        committee=committee,
        area_code=actor.area_code,
        meets_on=meets_on,
        status=SCHEDULED,
        scheduled_by_id=actor.id,
    )
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(session: Session, *, meeting_id: int, user: User) -> CommitteeMeeting:
    meeting = session.get(CommitteeMeeting, meeting_id)
    if meeting is None or COMMITTEE_SECRETARY_ROLE[meeting.committee] != user.role:
        raise NotFound(N_("Meeting not found."))
    if meeting.area_code != user.area_code:
        raise NotFound(N_("Meeting not found."))
    return meeting


def agenda(session: Session, *, meeting: CommitteeMeeting) -> list[AgendaItem]:
    """The area's grievances waiting for this committee's decision, oldest first."""
    rows = session.execute(
        select(Grievance, Task)
        .join(Task, Task.case_id == Grievance.case_id)
        .where(
            Task.status == OPEN,
            Task.role == COMMITTEE_SECRETARY_ROLE[meeting.committee],
            Task.area_code == meeting.area_code,
        )
        .order_by(Grievance.received_at, Grievance.id)
    ).all()
    answers = level_one_answers(session, [grievance.case_id for grievance, _task in rows])
    return [AgendaItem(grievance, task, answers.get(grievance.case_id)) for grievance, task in rows]


def record_decision(
    session: Session,
    *,
    engine: ProcessEngine,
    meeting: CommitteeMeeting,
    grievance_id: int,
    decision: str,
    reason: str,
    actor: User,
) -> CommitteeDecision:
    """Records what the meeting decided on one grievance and moves the grievance on."""
    _check_decision(decision, reason)
    item = next(
        (item for item in agenda(session, meeting=meeting) if item.grievance.id == grievance_id), None
    )
    if item is None:
        raise TaskNotAvailable(N_("This grievance is not on the meeting's agenda any more."))
    if item.task.assignee_id not in (None, actor.id):
        raise PermissionDenied(N_("Another secretary holds this grievance's step."))
    session.execute(update(Task).where(Task.id == item.task.id).values(assignee_id=actor.id))
    session.refresh(item.task)
    submit_task(
        session,
        engine=engine,
        task_id=item.task.id,
        data={"decision": decision, "decision_reason": reason.strip()},
        actor=actor,
        case_version=None,
    )
    row = CommitteeDecision(
        meeting_id=meeting.id,
        grievance_id=grievance_id,
        decision=decision,
        reason=reason.strip(),
        recorded_by_id=actor.id,
    )
    session.add(row)
    meeting.status = HELD
    session.flush()
    return row


def _check_decision(decision: str, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = [N_("Choose a decision from the list.")]
    if not 10 <= len(reason.strip()) <= 2000:
        errors["reason"] = [N_("Give the reasons in 10 to 2,000 characters.")]
    if errors:
        raise InvalidInput(errors)
