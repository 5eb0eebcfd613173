"""An officer's notifications: the unread count under the bell, one page of the list, marking them read."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.notifications import Notification
from webapp.domain.people import User
from webapp.services.casework.listing import (
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    on_or_after,
    on_or_before,
    read_page,
)

PAGE = 30


def unread_count(session: Session, *, user: User) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


NOTIFICATION_LIST = ListSpec(
    name="notifications",
    filters={
        "state": Choice(
            ("unread", "read"),
            lambda state: (
                Notification.read_at.is_(None) if state == "unread" else Notification.read_at.is_not(None)
            ),
        ),
        "from": Day(on_or_after(Notification.created_at)),
        "to": Day(on_or_before(Notification.created_at)),
    },
    sorts={
        "unread": Sort(
            (Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc())
        ),
        "newest": Sort((), keyset=(Notification.created_at, Notification.id), descending=True),
    },
    default_sort="unread",
    per_page=PAGE,
)


def notification_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """The officer's own notifications, unread before read and newest first unless sorted otherwise."""
    return read_page(session, select(Notification).where(Notification.user_id == user.id), listing, now=now)


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
