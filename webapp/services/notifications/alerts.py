"""Who is told what: a task that arrives for an officer or their role, a task handed to them, a deadline
near or passed, and a beneficiary's letter ready. Each notice is made in the transaction of its cause."""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import (
    CTE,
    DateTime,
    Select,
    String,
    Table,
    Update,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.letters import Letter
from webapp.domain.notifications import (
    EMAIL,
    QUEUED,
    SMS,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboundMessage,
)
from webapp.domain.people import User
from webapp.domain.tasks import OPEN, Task
from webapp.engine.types import PendingTask
from webapp.services.casework.task_mirror import opened_in_transaction
from webapp.services.notifications.channels import configured_channels
from webapp.services.notifications.delivery import queue_message
from webapp.services.notifications.wording import (
    email_subject,
    language_of,
    letter_ready_text,
    notification_text,
)
from webapp.services.platform.transaction_memo import transaction_memo


def on_tasks_opened(
    session: Session,
    case: Case,
    opened: Sequence[tuple[Task, PendingTask]],
    ready_steps: Sequence[str],
    actor: User | None,
) -> None:
    """The core's task hook: every holder of a new task's role in its area hears of it (not the officer
    whose own step opened it), and notices of tasks of this case that are over are set aside as read. A task
    that arrives already done (the first step its opening officer completed as the case opened) tells nobody.

    The step is written first, in one flush (the deadlines' hook, before this one, has set the new tasks'
    due times): the notices need the new tasks' ids, and the set-aside reads which tasks are over."""
    arrived = [task for task, _pending in opened if task.status == OPEN]
    set_aside = _may_have_arrival_notices(session, case)
    if not arrived and not set_aside:
        return  # nobody to tell, nothing to set aside: the step is written by the core's flush
    session.flush()
    for task in arrived:
        _tell_arrival(session, task, actor, set_aside=set_aside)
        set_aside = False  # done with the first task's notices
    if set_aside:
        _set_aside_finished(session, case)


def _may_have_arrival_notices(session: Session, case: Case) -> bool:
    """A case this transaction opened has "new task" notices only if this transaction wrote some (its
    intake, done by the officer who opened it, usually has nobody else to tell)."""
    return not opened_in_transaction(session, case) or case.id in transaction_memo(session, _TOLD)


_TOLD = "sala.notifications.cases_told"  # cases this transaction wrote "new task" notices for


def _tell_arrival(session: Session, task: Task, actor: User | None, *, set_aside: bool) -> None:
    """The new task's notices, and with `set_aside` the case's finished ones set aside. When nobody among the
    holders is told by e-mail or SMS too (the usual case), the notices are plain rows, no officer or notice
    loaded as an object; on PostgreSQL one statement sets aside, reads the holders and writes them."""
    values = {
        **_holders_of(task),
        "actor": actor.id if actor is not None else 0,
        "of_case": task.case_id,
        "new_task": task.id,
        "case_reference": task.case.reference,
        "new_task_name": task.name,
        "now": utcnow(),
        "notice_kind": NotificationKind.TASK_ARRIVED,
    }
    together = session.get_bind().dialect.name == "postgresql"
    if set_aside and not together:
        _set_aside_finished(session, task.case)
    statement = (_ARRIVAL_SET_ASIDE if set_aside else _ARRIVAL) if together else _HOLDER_IDS
    holders = session.execute(statement, values).all()
    if holders:
        transaction_memo(session, _TOLD)[task.case_id] = True
    if any(row.told_outside for row in holders):  # nothing was written: the full path, with their channels
        people = session.scalars(
            select(User).where(User.id.in_([row.id for row in holders])).order_by(User.id)
        )
        tell(session, people, kind=NotificationKind.TASK_ARRIVED, task=task)
    elif holders and not together:
        session.execute(_INSERT_NOTICE, [{**values, "holder": row.id} for row in holders])


def on_task_reassigned(session: Session, task: Task, actor: User) -> None:
    """The core's reassignment hook (a single task or a bulk reassignment): the new holder is told."""
    assignee = session.get(User, task.assignee_id) if task.assignee_id is not None else None
    if assignee is not None and assignee.id != actor.id:
        tell(session, [assignee], kind=NotificationKind.TASK_REASSIGNED, task=task)


def on_deadline(session: Session, task: Task, overdue: bool) -> None:
    """The deadline sweeps' hook: whoever holds the task (or every holder of its role) is told; a passed
    deadline is urgent and goes out at once, whatever the hour."""
    holder = session.get(User, task.assignee_id) if task.assignee_id is not None else None
    people = [holder] if holder is not None else role_holders(session, task)
    kind = NotificationKind.TASK_OVERDUE if overdue else NotificationKind.TASK_AT_RISK
    tell(session, people, kind=kind, task=task, urgent=overdue)


def role_holders(session: Session, task: Task) -> list[User]:
    """The active officers a task is offered to (the rule of `User.works_on`)."""
    return list(session.scalars(_HOLDERS, _holders_of(task)))


def _holders_of(task: Task) -> dict[str, str]:
    return {"role": task.role, "area": task.area_code}


# Built once with the task's role and area as parameters: they run after every step.
_HOLDER_RULE = (
    User.active,
    User.role == bindparam("role"),
    func.coalesce(User.area_code, "") == bindparam("area"),
)
_HOLDERS = select(User).where(*_HOLDER_RULE).order_by(User.id)
_ANY_CHANNEL = or_(NotificationPreference.by_email, NotificationPreference.by_sms)


def _holders_cte() -> CTE:
    """The active holders of a role in an area but the acting officer, each with whether they chose e-mail or
    SMS too: columns only, no entity loaded."""
    chose = and_(NotificationPreference.user_id == User.id, _ANY_CHANNEL)
    return (
        select(User.id, NotificationPreference.user_id.is_not(None).label("told_outside"))
        .outerjoin(NotificationPreference, chose)
        .where(*_HOLDER_RULE, User.id != bindparam("actor"))
        .cte("holders")
    )


def _arrival_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """Built once: the holders alone; on PostgreSQL the holders, with their notices written in the same
    statement when none of them is told outside Sala, and that with the case's finished notices set aside."""
    holders = _holders_cte()
    found = select(holders.c.id, holders.c.told_outside).order_by(holders.c.id)
    rows = select(
        holders.c.id,
        bindparam("notice_kind", type_=String()),
        *(bindparam(name, type_=_NOTICE.c[column].type) for column, name in _TASK_PARAMS.items()),
        false(),
        bindparam("now", type_=DateTime()),
    ).where(~exists().where(holders.c.told_outside))
    written = found.add_cte(insert(_NOTICE).from_select(_COLUMNS, rows).cte("written"))
    return found, written, written.add_cte(_SET_ASIDE.cte("set_aside"))


_NOTICE = cast(Table, Notification.__table__)
_COLUMNS = ["user_id", "kind", "case_id", "task_id", "reference", "task_name", "urgent", "created_at"]
# The notice's columns taken from the task, and the parameters that carry them: named apart from the columns,
# since SQLAlchemy sets a column of an updated table that has a parameter of its name (the set-aside shares
# the statement).
_TASK_PARAMS = {
    "case_id": "of_case",
    "task_id": "new_task",
    "reference": "case_reference",
    "task_name": "new_task_name",
}
_INSERT_NOTICE = insert(_NOTICE).values(
    {
        **{column: bindparam(name) for column, name in _TASK_PARAMS.items()},
        "user_id": bindparam("holder"),
        "kind": bindparam("notice_kind"),
        "urgent": False,
        "created_at": bindparam("now"),
    }
)


def tell(
    session: Session,
    people: Iterable[User],
    *,
    kind: str,
    task: Task,
    urgent: bool = False,
) -> list[Notification]:
    """A notice in Sala for each person, and their e-mail and SMS as they chose, queued for the worker."""
    people = list(people)
    if not people:
        return []
    notes = [
        Notification(
            user_id=person.id,
            kind=kind,
            case_id=task.case_id,
            task_id=task.id,
            reference=task.case.reference,
            task_name=task.name,
            urgent=urgent,
            created_at=utcnow(),
        )
        for person in people
    ]
    session.add_all(notes)
    session.flush()
    choices = {
        pref.user_id: pref
        for pref in session.scalars(
            select(NotificationPreference).where(
                NotificationPreference.user_id.in_([person.id for person in people]), _ANY_CHANNEL
            )
        )
    }
    for person, note in zip(people, notes, strict=True):
        if person.id in choices:
            _queue_for(session, person, note, choices[person.id])
    return notes


def _queue_for(session: Session, person: User, note: Notification, pref: NotificationPreference) -> None:
    language = language_of(person.locale)
    text = notification_text(note.kind, language, task_name=note.task_name, reference=note.reference)
    ways = []
    if pref.by_email and pref.email:
        link = f"{configured_channels().public_url}/notifications/{note.id}/open"
        ways.append(
            (EMAIL, pref.email, email_subject(language, reference=note.reference), f"{text}\n\n{link}\n")
        )
    if pref.by_sms and pref.phone:
        ways.append((SMS, pref.phone, "", text))
    for channel, address, subject, body in ways:
        queue_message(
            session,
            channel=channel,
            address=address,
            subject=subject,
            body=body,
            language=language,
            area_code=person.area_code or "",
            urgent=note.urgent,
            notification=note,
            case_id=note.case_id,
        )


def _set_aside_finished(session: Session, case: Case) -> None:
    """Unread "new task" notices of this case's tasks that are done, cancelled or taken are marked read."""
    session.execute(_SET_ASIDE, {"of_case": case.id, "now": utcnow()})


def _set_aside_statement() -> Update:
    """Built once, run after every step: a plain table update (no ORM bookkeeping; no notice is in memory)."""
    notice, task = cast(Table, Notification.__table__), cast(Table, Task.__table__)
    finished = (
        select(task.c.id)
        .where(
            task.c.id == notice.c.task_id,
            or_(
                task.c.status != OPEN,
                and_(task.c.assignee_id.is_not(None), task.c.assignee_id != notice.c.user_id),
            ),
        )
        .correlate(notice)
        .exists()
    )
    return (
        update(notice)
        .where(
            notice.c.case_id == bindparam("of_case"),
            notice.c.kind == NotificationKind.TASK_ARRIVED,
            notice.c.read_at.is_(None),
            finished,
        )
        .values(read_at=bindparam("now"))
    )


_SET_ASIDE = _set_aside_statement()
_HOLDER_IDS, _ARRIVAL, _ARRIVAL_SET_ASIDE = _arrival_statements()


def on_letter_issued(session: Session, *, case: Case, letter: Letter) -> None:
    """A beneficiary who left a phone number hears by SMS that a letter is ready, in the letter's language;
    letters issued together (a result and a card) make one message."""
    person = case.person
    if person is None or not person.phone:
        return
    waiting = session.scalar(
        select(OutboundMessage.id).where(
            OutboundMessage.case_id == case.id,
            OutboundMessage.notification_id.is_(None),
            OutboundMessage.status == QUEUED,
        )
    )
    if waiting is not None:
        return
    language = language_of(letter.language)
    queue_message(
        session,
        channel=SMS,
        address=person.phone,
        language=language,
        body=letter_ready_text(language, reference=case.reference),
        area_code=case.area_code,
        urgent=False,
        case_id=case.id,
    )
