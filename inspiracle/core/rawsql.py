"""Reading rows of plain SQL statements as the ORM would have read them.

A few reads run on every request of a list or of a call with a token, where building the ORM's query cost more
than running it (issue 14, bench/web.py); they are written as plain SQL (each says why) and read back here: the
values converted by the database backend's and the fields' own converters (SQLite gives dates back as text
without their zone, JSON as text, booleans as 0 and 1), and model instances made as the ORM makes them."""

from collections.abc import Sequence
from typing import Any

from django.db import connection, connections
from django.db.models import Field, Model


class Reader:
    """Reads the values of ``fields``, in their order, from a row of a plain SQL statement (make one per
    statement, at import: it keeps what it found out about the fields for each database)."""

    def __init__(self, *fields: Field) -> None:
        self.fields = fields
        self.attnames = [field.attname for field in fields]
        self._converters: dict[str, list[tuple[int, Any, list]]] = {}
        self._columns: dict[tuple[str, str, int], str] = {}

    @classmethod
    def of(cls, *names: tuple[type[Model], str]) -> "Reader":
        """A reader of the fields named ``(model, name)``."""
        fields = [model._meta.get_field(name) for model, name in names]
        if not all(isinstance(field, Field) and field.concrete for field in fields):
            raise ValueError("A reader reads columns: name concrete fields only.")
        return cls(*(field for field in fields if isinstance(field, Field)))

    def columns(self, alias: str, count: int | None = None) -> str:
        """The first ``count`` fields (all by default) as the select list of a statement in which their table is
        named ``alias``."""
        key = (connection.alias, alias, len(self.fields) if count is None else count)
        if key not in self._columns:
            quote = connection.ops.quote_name
            self._columns[key] = ", ".join(
                f"{alias}.{quote(str(field.column))}" for field in self.fields[: key[2]]
            )
        return self._columns[key]

    def _converting(self) -> list[tuple[int, Any, list]]:
        """The fields whose values need converting on this database: position, column, converters."""
        alias = connection.alias
        found = self._converters.get(alias)
        if found is None:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(field.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if converters:
                    found.append((position, column, converters))
            self._converters[alias] = found
        return found

    def values(self, row: Sequence[Any]) -> list[Any]:
        """``row`` (the values of the fields, in order) as the ORM gives them."""
        values = list(row)
        if len(values) != len(self.fields):
            raise ValueError(f"{len(values)} values for {len(self.fields)} fields")
        converting = self._converting()
        if converting:
            database = connections[connection.alias]  # the connection itself, not its per-thread proxy
            for position, column, converters in converting:
                value = values[position]
                for convert in converters:
                    value = convert(value, column, database)
                values[position] = value
        return values

    def instance[M: Model](self, model: type[M], row: Sequence[Any]) -> M:
        """A ``model`` instance as the ORM loads it from ``row`` (the fields it does not hold are deferred)."""
        held = dict(zip(self.attnames, self.values(row), strict=True))
        names = [field.attname for field in model._meta.concrete_fields if field.attname in held]
        return model.from_db(connection.alias, names, [held[name] for name in names])
