"""On PostgreSQL, a step's rows written by one statement instead of the unit of work's one per table.

A step leaves the case row's new state, the task it completed, the tasks it opened, their timers, its
letters' jobs and its events: the unit of work sends a statement for each, and its bookkeeping cost more than
the rows themselves (a third of a step's time). When a flush holds nothing else, `write_at_once` sends them
as one statement of data-modifying CTEs, runs the session's after-flush hooks as the unit of work would, and
marks every row saved, so the unit of work finds nothing left to do. Anything else (a person, a document, a
deleted row, a relationship changed by object, SQLite) takes the unit of work.

Every CTE after the case row's update reads it, so that update runs first (the row is locked before its
tasks and timers, as the sweeps lock them) and, when the case changed meanwhile (its version moved), nothing
else is written and the flush fails with StaleDataError as the unit of work's would. The new rows of a table
go in by one INSERT in the order they were added, so their ids rise in that order as the unit of work's do."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Table, inspect
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import MANYTOONE, Mapper, Session, UOWTransaction, make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.state import InstanceState

from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.jobs import Job
from webapp.domain.sla import WorkflowTimer
from webapp.domain.tasks import Task
from webapp.services.platform.transaction_memo import transaction_memo

_NEW = (Case, Task, WorkflowTimer, Job)
_CHANGED = (Case, Task)
_DIALECT = postgresql.psycopg.dialect()

_Type = tuple[str, Callable[[Any], Any] | None]  # a column's PostgreSQL type and SQLAlchemy's bind processor


@dataclass
class _Statement:
    """The CTEs of the statement and their parameters, built piece by piece."""

    ctes: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    first: str = ""  # the case row's update: every later CTE reads it, so it runs first

    def bind(self, value: Any, column: _Type) -> str:
        name = f"p{len(self.params)}"
        cast, process = column
        self.params[name] = value if process is None or value is None else process(value)
        return f"CAST(%({name})s AS {cast})"

    def after_first(self, joined_by: str) -> str:
        return f"{joined_by} EXISTS (SELECT 1 FROM {self.first})" if self.first else ""  # noqa: S608

    def text(self) -> str:
        # With nothing to return (events alone) the SELECT lists nothing: PostgreSQL answers an empty row.
        return "WITH " + ", ".join(self.ctes) + " SELECT " + ", ".join(self.results)


def write_at_once(session: Session, events: Sequence[Mapping[str, Any]], flush: UOWTransaction) -> bool:
    """Writes the session's pending rows and `events` as one statement when the flush is a step's plain
    rows on PostgreSQL, and marks them saved; False (nothing written) when the unit of work must do it.
    Between the two, the session's after-flush hooks (the kept totals) see the rows as the unit of work
    shows them: written, with their ids, their changes still in their history."""
    if session.get_bind().dialect.name != "postgresql" or session.deleted:
        return False
    new = sorted((inspect(row) for row in session.new if not isinstance(row, CaseEvent)), key=_added)
    dirty = [inspect(row) for row in session.dirty]
    if not _plain(new, dirty):
        return False
    # The case's row first; a row set to the values it had is not written (nor its version moved).
    changes = [(state, values) for state in dirty if (values := _changed_columns(state))]
    changes.sort(key=lambda change: _case_first(change[0]))
    changed = [state for state, _values in changes]
    statement = _Statement()
    versions = [_update(statement, state, values) for state, values in changes]
    tables = _new_by_table(new)
    for (table, _drawn), rows in tables.items():
        _insert(statement, table, [_with_defaults(state) for state in rows], returning=True)
    if events:
        _insert(statement, _table(CaseEvent), events, returning=False)
    taken = _take_offers(session, statement, changed)
    if statement.ctes:
        answer = session.connection().exec_driver_sql(statement.text(), statement.params).one()
        _written(changed, versions, tables, answer)
        session.dispatch.after_flush(session, flush)
        _saved(session, changed, tables)
    for offer in taken:
        offer.written = True
    return True


@dataclass
class Offer:
    """Rows of one table a step changes by plain statements, offered to go out with the step's case row:
    the rows matching `match` (and one column among `among`) set to `values`, and new `rows`. `written`
    tells the one who offered whether it is done (else it writes them itself, after the flush)."""

    case: Case
    table: Table
    values: dict[str, Any]
    match: dict[str, Any]
    among: tuple[str, list[Any]]
    rows: list[dict[str, Any]]
    written: bool = False


def offer(session: Session, offered: Offer) -> None:
    """Offers rows to the flush that writes `offered.case`'s row by this writer (none on SQLite, nor when
    the unit of work takes the flush): they go out in its statement, after the case row's update."""
    transaction_memo(session, _OFFERS).setdefault("offers", []).append(offered)


_OFFERS = "sala.casework.step_writer.offers"


def _take_offers(session: Session, statement: _Statement, changed: list[InstanceState[Any]]) -> list[Offer]:
    """The offers of the case whose row this statement updates first; the others wait for their own."""
    if not changed or not isinstance(changed[0].obj(), Case):
        return []
    case = changed[0].obj()
    waiting: list[Offer] = transaction_memo(session, _OFFERS).get("offers", [])
    taken = [offered for offered in waiting if offered.case is case and not offered.written]
    for offered in taken:
        waiting.remove(offered)
        _offered_update(statement, offered)
        if offered.rows:
            _insert(statement, offered.table, offered.rows, returning=False)
    return taken


def _offered_update(statement: _Statement, offered: Offer) -> None:
    column, among = offered.among
    if not among:
        return
    types = _types(offered.table)
    sets = ", ".join(f"{key} = {statement.bind(value, types[key])}" for key, value in offered.values.items())
    matched = " AND ".join(f"{key} = {statement.bind(v, types[key])}" for key, v in offered.match.items())
    listed = ", ".join(statement.bind(value, types[column]) for value in among)
    name = f"o{len(statement.ctes)}"
    where = f"{matched} AND {column} IN ({listed}) {statement.after_first('AND')}"
    statement.ctes.append(f"{name} AS (UPDATE {offered.table.name} SET {sets} WHERE {where})")  # noqa: S608


def _plain(new: list[InstanceState[Any]], dirty: list[InstanceState[Any]]) -> bool:
    """Only new cases, tasks, timers and jobs, changed cases and tasks, each changed by its columns (a
    many-to-one set to the row its column already names is no change)."""
    if not all(isinstance(state.obj(), _NEW) for state in new):
        return False
    if not all(isinstance(state.obj(), _CHANGED) for state in dirty):
        return False
    for state in (*new, *dirty):
        if not _columns(state.mapper).plain or _relationships_changed(state):
            return False
    for state in dirty:
        version = _columns(state.mapper).version
        if version is not None and version not in state.dict:
            return False  # expired: the unit of work loads it first
    return all(_columns(state.mapper).fillable(state.dict) for state in new)


def _added(state: InstanceState[Any]) -> int:
    return state.insert_order or 0


def _case_first(state: InstanceState[Any]) -> bool:
    return not isinstance(state.obj(), Case)


def _relationships_changed(state: InstanceState[Any]) -> bool:
    """Whether a relationship changed other than a many-to-one set to the row its columns already name."""
    for prop in state.mapper.relationships:
        history = state.attrs[prop.key].history
        if not history.has_changes():
            continue
        if prop.direction is not MANYTOONE or history.deleted or len(history.added) != 1:
            return True
        target = history.added[0]
        if target is None or inspect(target).identity is None:
            return True
        if any(
            state.dict.get(str(local.key)) != getattr(target, str(remote.key))
            for local, remote in prop.local_remote_pairs
        ):
            return True
    return False


def _changed_columns(state: InstanceState[Any]) -> dict[str, Any]:
    """The columns whose value this flush would write: {attribute: new value}."""
    types = _columns(state.mapper).types
    return {
        key: state.dict[key]
        for key in state.committed_state
        if key in types and state.attrs[key].history.has_changes()
    }


def _update(statement: _Statement, state: InstanceState[Any], values: dict[str, Any]) -> Any:
    """The row's UPDATE as a CTE; a versioned row's checks and moves its version (returned)."""
    columns = _columns(state.mapper)
    types, identity = columns.types, state.identity
    assert identity is not None
    name = f"u{len(statement.ctes)}"
    where = f"id = {statement.bind(identity[0], types['id'])}"
    version = None
    if columns.version is not None:
        old = state.committed_state.get(columns.version, state.dict[columns.version])
        version = values[columns.version] = columns.next_version(old)
        where += f" AND {columns.version} = {statement.bind(old, types[columns.version])}"
    sets = ", ".join(f"{key} = {statement.bind(value, types[key])}" for key, value in values.items())
    table = columns.table.name
    after = statement.after_first("AND")
    # Names come from the mappers and this module, values only ever as parameters.
    statement.ctes.append(f"{name} AS (UPDATE {table} SET {sets} WHERE {where} {after} RETURNING 1)")  # noqa: S608
    statement.results.append(f"(SELECT count(*) FROM {name})")  # noqa: S608
    statement.first = statement.first or name
    return version


def _new_by_table(new: list[InstanceState[Any]]) -> dict[tuple[Table, bool], list[InstanceState[Any]]]:
    """The new rows by table, those whose id was drawn beforehand (a case's) apart from the others."""
    tables: dict[tuple[Table, bool], list[InstanceState[Any]]] = {}
    for state in new:
        tables.setdefault((_columns(state.mapper).table, state.dict.get("id") is not None), []).append(state)
    return tables


def _with_defaults(state: InstanceState[Any]) -> dict[str, Any]:
    """A new row's values, the columns left out given their Python defaults (kept on the row, as the unit
    of work keeps them)."""
    columns = _columns(state.mapper)
    if columns.version is not None and columns.version not in state.dict:
        state.dict[columns.version] = columns.next_version(None)
    for key in columns.types:
        if key not in state.dict and key != "id":
            state.dict[key] = columns.default(key)
    return {key: state.dict[key] for key in columns.types if key != "id" or state.dict.get("id") is not None}


def _insert(
    statement: _Statement, table: Table, rows: Sequence[Mapping[str, Any]], *, returning: bool
) -> None:
    """The rows of one table by one INSERT, in their order (ids are drawn as the sorted rows go in)."""
    types = _types(table)
    keys = list(rows[0])  # the same columns in every row: an id only when every row has its own
    values = ", ".join(
        "(" + ", ".join([*(statement.bind(row[key], types[key]) for key in keys), str(number)]) + ")"
        for number, row in enumerate(rows)
    )
    name = f"n{len(statement.ctes)}"
    listed = ", ".join(keys)
    tail = " RETURNING id" if returning else ""
    statement.ctes.append(
        f"{name} AS (INSERT INTO {table.name} ({listed}) SELECT {listed} FROM (VALUES {values}) "  # noqa: S608
        f"AS given ({listed}, position_) {statement.after_first('WHERE')} ORDER BY position_{tail})"
    )
    if returning:
        statement.results.append(f"(SELECT array_agg(id ORDER BY id) FROM {name})")  # noqa: S608


def _written(
    changed: list[InstanceState[Any]],
    versions: list[Any],
    tables: dict[tuple[Table, bool], list[InstanceState[Any]]],
    answer: Sequence[Any],
) -> None:
    """The rows as written: versions moved, ids given; an update that matched no row fails the flush."""
    counts, ids = answer[: len(changed)], answer[len(changed) :]
    if any(count != 1 for count in counts):
        raise StaleDataError("A step's row changed meanwhile: its UPDATE matched no row.")
    for state, version in zip(changed, versions, strict=True):
        kept_version = _columns(state.mapper).version
        if kept_version is not None:
            state.dict[kept_version] = version
    for rows, table_ids in zip(tables.values(), ids, strict=True):
        for state, row_id in zip(rows, table_ids, strict=True):
            state.dict["id"] = row_id


def _saved(session: Session, changed: list[InstanceState[Any]], tables: dict[Any, list[Any]]) -> None:
    """Marks the rows saved as the unit of work would: no change pending, the new ones persistent."""
    for state in changed:
        state._commit_all(state.dict, session.identity_map)
    for rows in tables.values():
        for state in rows:
            row = state.obj()
            session.expunge(row)
            make_transient_to_detached(row)
            session.add(row)


@dataclass(frozen=True)
class _Columns:
    """A mapped table's columns as the writer needs them, worked out once per mapper."""

    table: Table
    types: dict[str, _Type]
    defaults: dict[str, Any]  # Python-side defaults: values or no-argument callables
    unvalued: frozenset[str]  # columns a new row may leave out: a Python default, NULL, or the version
    plain: bool  # attributes named as their columns and no column updated by default: what this writes
    version: str | None  # the optimistic lock's column, moved by `next_version`
    next_version: Callable[[Any], Any]

    def default(self, key: str) -> Any:
        value = self.defaults.get(key)
        return value() if callable(value) else value

    def fillable(self, given: Mapping[str, Any]) -> bool:
        """Whether every column of a new row has a value, a Python default or may be NULL."""
        return all(key in given or key in self.unvalued for key in self.types)


@cache
def _columns(mapper: Mapper[Any]) -> _Columns:
    table = mapper.local_table
    assert isinstance(table, Table)
    attributes = {prop.key: prop.columns[0] for prop in mapper.column_attrs}
    plain = all(key == column.key == column.name for key, column in attributes.items()) and not any(
        column.onupdate is not None for column in table.c
    )
    defaults = {
        column.key: _python_default(column.default.arg)
        for column in table.c
        if column.default is not None and (column.default.is_scalar or column.default.is_callable)
    }
    nullable = frozenset(column.key for column in table.c if column.nullable or column.primary_key)
    version = None if mapper.version_id_col is None else str(mapper.version_id_col.key)
    next_version: Callable[[Any], Any] = mapper.version_id_generator or (lambda old: old)
    unvalued = frozenset((*defaults, *nullable, *([version] if version else [])))
    return _Columns(table, _types(table), defaults, unvalued, plain, version, next_version)


def _python_default(arg: Any) -> Any:
    """A default as a value or a no-argument callable (SQLAlchemy wraps callables to take a context)."""
    return (lambda: arg(None)) if callable(arg) else arg


@cache
def _types(table: Table) -> dict[str, _Type]:
    """Each column's type to cast its parameter to, and the processor SQLAlchemy would apply to the value."""
    return {
        column.key: (column.type.compile(dialect=_DIALECT), column.type.bind_processor(_DIALECT))
        for column in table.c
    }


def _table(model: type[Any]) -> Table:
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table
