"""An officer's notifications: the unread count under the bell, one page of the list, marking them read."""

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.notifications import Notification
from webapp.domain.people import User

PAGE = 30


@dataclass(frozen=True)
class NotificationPage:
    notes: list[Notification]
    page: int
    has_next: bool


def unread_count(session: Session, *, user: User) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def notifications_of(
    session: Session, *, user: User, page: int = 0, per_page: int = PAGE
) -> NotificationPage:
    """Newest first, unread before read."""
    page = max(0, page)
    rows = list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(
                Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()
            )
            .offset(page * per_page)
            .limit(per_page + 1)
        )
    )
    return NotificationPage(rows[:per_page], page, len(rows) > per_page)


def open_notification(session: Session, *, notification_id: int, user: User) -> Notification:
    """One of the officer's own notifications, marked read (another officer's is not found)."""
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound(N_("Notification not found."))
    if note.read_at is None:
        note.read_at = utcnow()
        session.flush()
    return note


def mark_all_read(session: Session, *, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
