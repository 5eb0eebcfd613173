"""Reference rows kept in memory between transactions as plain values, never as ORM objects (an object
belongs to one session), and put back into a session as the persistent row they are, without a query."""

from typing import Any, Generic, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from webapp.domain.base import Base
from webapp.services.platform.reference_stamp import stamp_counters

Row = TypeVar("Row", bound=Base)


def plain_values(row: Base) -> dict[str, Any]:
    """The row's column values but its deferred ones (large, loaded on first use when the row is attached)."""
    state = inspect(row)
    loaded = state.dict
    columns = state.mapper.column_attrs
    return {
        column.key: loaded[column.key] for column in columns if not column.deferred and column.key in loaded
    }


def attached(session: Session, model: type[Row], values: dict[str, Any]) -> Row:
    """The row with these values in `session`: the one the session already holds, or one built from the
    values and added as persistent (what was left out, a deferred column, loads on first use)."""
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key(
        tuple(values[str(column.key)] for column in mapper.primary_key)
    )
    held = session.identity_map.get(key)
    if isinstance(held, model):
        return held
    row = model(**values)
    make_transient_to_detached(row)
    session.add(row)
    return row


class KeptRows(Generic[Row]):
    """Rows of one table by primary key, kept per process as plain values while their stamp (a counter of
    reference_stamp that triggers move with every write of the table) holds; only rows found are kept."""

    def __init__(self, model: type[Row], stamp: str) -> None:
        self.model, self.stamp = model, stamp
        self._kept: dict[Any, tuple[Any, dict[str, Any]]] = {}

    def get(self, session: Session, key: Any) -> Row | None:
        """The row as a row of `session`: with no query while the stamp read in this transaction holds."""
        if session.autoflush:
            session.flush()  # the session's own unwritten edits of the table move the stamp before it is read
        stamp = stamp_counters(session)[self.stamp]
        kept = self._kept.get(key)
        if kept is not None and kept[0] == stamp:
            return attached(session, self.model, kept[1])
        row = session.get(self.model, key)
        if row is not None:
            self._kept[key] = (stamp, plain_values(row))
        return row
