"""Reference rows kept in memory between transactions as plain values, never as ORM objects (an object
belongs to one session), and put back into a session as the persistent row they are, without a query."""

from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from webapp.domain.base import Base

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
