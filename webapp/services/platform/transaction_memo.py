"""What a service remembers for the rest of one transaction (rows it just wrote, a fingerprint it just read),
so a later step of the same transaction need not read it back. Forgotten when the transaction ends, or a
savepoint does (rolled back, it may have undone what was remembered); not at the inner transaction of a
flush."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_MEMOS = "sala.transaction_memos"


def transaction_memo(session: Session, name: str) -> dict[Any, Any]:
    """The memo called `name` of the session's current transaction, empty at first."""
    memos: dict[str, dict[Any, Any]] = session.info.setdefault(_MEMOS, {})
    return memos.setdefault(name, {})


def remembered(session: Session, name: str) -> bool:
    """Whether the current transaction holds a memo called `name` (without making one)."""
    return name in session.info.get(_MEMOS, {})


def forget(session: Session, name: str) -> None:
    session.info.get(_MEMOS, {}).pop(name, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_all(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested or transaction.parent is None:
        session.info.pop(_MEMOS, None)
