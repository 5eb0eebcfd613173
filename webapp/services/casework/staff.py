"""When an officer leaves: the account is deactivated and the tasks they held return to the shared list of
their role and area, each with an event on its case."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.services.casework.events import record_event
from webapp.services.platform.users import deactivate_user, record_deactivation


def deactivate_officer(session: Session, *, actor: User, user_id: int) -> User:
    user = deactivate_user(session, actor=actor, user_id=user_id)
    released = []
    for task in session.scalars(select(Task).where(Task.assignee_id == user.id, Task.status == OPEN)):
        task.assignee_id = None
        released.append(task.id)
        record_event(
            session,
            case=task.case,
            kind="task_released",
            actor=actor,
            task_name=task.name,
            before={"assignee": user.username},
            after={"assignee": None, "reason": "account deactivated"},
        )
    session.flush()
    record_deactivation(session, actor=actor, user=user, released=released)
    return user
