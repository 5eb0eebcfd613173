"""Who may see a grievance, and the one rule that decides whether a viewer sees the complainant's identity."""

from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.grievances import COMMITTEE_SECRETARY_ROLE, Grievance
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task

ANONYMOUS = N_("Anonymous")
CONFIDENTIAL = N_("Confidential")
SECRETARY_ROLES = frozenset(COMMITTEE_SECRETARY_ROLE.values())


@dataclass(frozen=True)
class Complainant:
    """What a viewer may see; `hidden` is a message id ("Anonymous", "Confidential") in place of a name."""

    name: str | None
    contact: str | None
    hidden: str | None = None


def visible_grievances(user: User) -> Select[Grievance]:
    return select(Grievance).where(within(Grievance.area_code, user.scope_code))


def grievance_rows(session: Session, *, user: User, limit: int = 500) -> list[tuple[Grievance, Complainant]]:
    """The user's area's grievances, newest first, each with the complainant as this user may see it."""
    query = visible_grievances(user).order_by(Grievance.received_at.desc(), Grievance.id.desc()).limit(limit)
    return [(g, complainant_for(session, grievance=g, viewer=user)) for g in session.scalars(query)]


def get_grievance(session: Session, *, grievance_id: int, user: User) -> Grievance:
    grievance = session.get(Grievance, grievance_id)
    if grievance is None or not user.covers(grievance.area_code):
        raise NotFound(N_("Grievance not found."))
    return grievance


def complainant_for(session: Session, *, grievance: Grievance, viewer: User | None) -> Complainant:
    """The complainant as `viewer` may see it; pages, exports and the API all go through here."""
    if grievance.anonymous:
        return Complainant(None, None, ANONYMOUS)
    if not grievance.confidential or (viewer is not None and _handles(session, grievance, viewer)):
        return Complainant(grievance.complainant_name, grievance.contact)
    return Complainant(None, None, CONFIDENTIAL)


def may_read_case(session: Session, case: Case, viewer: User) -> bool:
    """The family's rule for personal content (letters, documents): a confidential grievance's carry the
    complainant's name, so only its handlers may open them."""
    grievance = session.scalar(select(Grievance).where(Grievance.case_id == case.id))
    if grievance is None or not grievance.confidential or grievance.anonymous:
        return True
    return _handles(session, grievance, viewer)


def _handles(session: Session, grievance: Grievance, viewer: User) -> bool:
    """The officer who recorded it, the one holding or offered its current step, one who answered a step of
    it, and the committee secretary of its area. Not their supervisors, nor anyone on another grievance
    (an appeal is another grievance: the officer whose answer it contests does not see who appealed)."""
    if not viewer.active or not viewer.covers(grievance.area_code):
        return False
    if grievance.recorded_by_id == viewer.id or viewer.role in SECRETARY_ROLES:
        return True
    tasks = session.scalars(
        select(Task).where(
            Task.case_id == grievance.case_id,
            or_(Task.status == OPEN, Task.assignee_id == viewer.id, Task.completed_by_id == viewer.id),
        )
    ).all()
    return any(_on_task(task, viewer, grievance.area_code) for task in tasks)


def _on_task(task: Task, viewer: User, area_code: str) -> bool:
    if viewer.id in (task.assignee_id, task.completed_by_id):
        return True
    return task.status == OPEN and task.assignee_id is None and viewer.works_on(task.role, area_code)
