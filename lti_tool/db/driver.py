"""Core statements compiled once per dialect and run on the DBAPI cursor of a unit of work's connection.

For the few statements every launch runs, SQLAlchemy's execution layers (execution context, parameter and
result processing, events) cost several times what the database spends on them. A `DriverStatement` keeps
the statement's meaning in one place, the Core construct, and does once what each execution would redo: the
SQL text in the dialect's paramstyle, the parameter order, and the types' own bind and result processors
(UTC timestamps as text on SQLite, JSON), taken through SQLAlchemy's public type API.

SQLAlchemy's cursor events do not see these statements; count them at the driver (tests/lti, bench/launch.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable


def cursor_of(session: Session) -> Any:
    """A DBAPI cursor on the session's connection, in its transaction (begun as the session begins one)."""
    return session.connection().connection.cursor()


class DriverStatement:
    """One statement in one dialect. `columns` names the INSERT's columns; others take them from the SQL."""

    def __init__(
        self,
        statement: Executable,
        dialect: Dialect,
        columns: Iterable[str] | None = None,
        bind_processors: Mapping[str, Callable[[Any], Any]] | None = None,
    ):
        """`bind_processors`: for the named parameters, a processor used instead of the type's own."""
        compiled = statement.compile(dialect=dialect, column_keys=list(columns) if columns else None)
        self.sql = compiled.string
        self._order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        self._fixed: dict[str, Any] = {}  # literals the construct bound itself (nullif(x, ''))
        self._bind: list[tuple[str, Callable[[Any], Any]]] = []
        chosen = bind_processors or {}
        for bind in compiled.binds.values():
            name = compiled.bind_names[bind]
            if not bind.required:
                self._fixed[name] = bind.effective_value
            process = chosen.get(name) or bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                self._bind.append((name, process))
        returned = getattr(statement, "exported_columns", ())
        self._results = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in returned
        ]
        self.columns = list(returned)
        self.names = [column.key for column in returned]

    def execute(self, cursor: Any, params: Mapping[str, Any]) -> Any:
        values = {**self._fixed, **params}
        for name, process in self._bind:
            values[name] = process(values[name])
        cursor.execute(self.sql, [values[name] for name in self._order] if self._order else values)
        return cursor

    def first(self, cursor: Any, params: Mapping[str, Any]) -> tuple | None:
        """The first row the statement returns (SELECT or RETURNING), its values as the types read them."""
        row = self.execute(cursor, params).fetchone()
        if row is None:
            return None
        return tuple(
            value if process is None else process(value)
            for process, value in zip(self._results, row, strict=True)
        )
