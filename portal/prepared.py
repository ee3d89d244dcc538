"""Querysets compiled once per process, then run with new values: the hot reads of the
customer's pages.

A queryset is built and compiled by the ORM on every request: for "My requests" about
2 ms of Python (filters, joins, the select list of three tables, the ordering) around a
query the database answers in 1 ms, and the same again for the request page's ticket and
thread. `PreparedQuery` builds the queryset once per database and shape, with stand-in
values in place of the request's (a customer id, a ticket reference), finds them among the
compiled statement's parameters, and afterwards only executes that statement with the
request's values, reading its rows as the ORM's ModelIterable does: the backend's and the
fields' converters, `Model.from_db`, select_related's populators, the annotations. The
instances are the ones the queryset gives (a test compares them field by field, on
PostgreSQL and SQLite).

What a prepared query cannot do, and the callers keep on the ORM: a value the ORM
transforms before it reaches the statement (a `icontains` pattern, a list whose length
varies); prefetch_related; a queryset whose SQL depends on anything but the `shape` given.

`planned_once=True` also prepares the statement in PostgreSQL (PREPARE, once per database
session, in the same round trip as its first EXECUTE), so that the server plans it once
rather than at each execution: the agent's ticket read, a join of five tables, took 0.46
ms to plan and 0.05 ms to run. Only for statements whose plan does not depend on the
values (a row by its key, a ticket's messages): PostgreSQL keeps one generic plan for all
values. Named server-side statements need a database session of the portal's own, not
PgBouncer's transaction pooling.
"""

import itertools
import re
from collections.abc import Callable, Hashable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connections, models
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# The stand-ins, which only the statement's own constants could be mistaken for: numbers
# that fit every integer column (a smallint's range: the ORM knows a number outside a
# column's range matches no row and leaves the condition out), and text with a NUL
# character.
_INT_STAND_IN = 32_749
_STR_STAND_IN = "\x00stand-in:"
_DATETIME_STAND_IN = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


class _Prepared(NamedTuple):
    sql: str
    params: tuple  # each a value, or a _Slot to fill
    names: frozenset[str]
    compiler: SQLCompiler
    converters: list
    model: type[models.Model]
    start: int
    end: int
    init_list: list[str]
    populators: list
    annotations: tuple[tuple[str, int], ...]
    col_count: int


class _Slot(NamedTuple):
    name: str


def _plain(value: Any) -> int | str:
    """A choice's value (IntegerChoices, TextChoices) as the plain int or str the
    statement takes."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"PreparedQuery takes int and str values, not {value!r}")
    return int(value) if isinstance(value, int) else str.__str__(value)


class PreparedQuery:
    """`build(shape, **values)` returns the queryset; `values` are the request's values,
    each an int, a str or an aware datetime as the statement takes them (ids, not
    instances), and every one must reach the statement unchanged, a datetime as a datetime
    field adapts it (a value the ORM transforms otherwise, or one the queryset leaves out,
    is refused when the statement is prepared). `shape` is anything hashable
    that changes the statement (a filter present or not); each shape is prepared apart
    and always takes the same values."""

    def __init__(
        self, build: Callable[..., models.QuerySet], *, planned_once: bool = False
    ) -> None:
        self.build = build
        self.planned_once = planned_once
        self._prepared: dict[tuple[str, Hashable], _Prepared] = {}

    @staticmethod
    def _stand_ins(values: dict[str, Any]) -> dict[str, Any]:
        stand_ins: dict[str, Any] = {}
        for number, (name, value) in enumerate(sorted(values.items())):
            if isinstance(value, int) and not isinstance(value, bool):
                stand_ins[name] = _INT_STAND_IN - number
            elif isinstance(value, str):
                stand_ins[name] = f"{_STR_STAND_IN}{name}"
            elif type(value) is datetime and value.tzinfo is not None:
                stand_ins[name] = _DATETIME_STAND_IN - timedelta(microseconds=number)
            else:
                raise TypeError(
                    f"PreparedQuery takes int, str and aware datetime values, not {value!r}"
                )
        return stand_ins

    @staticmethod
    def _in_statement(value: Any, connection) -> Any:
        """A value as the ORM passes it to the statement: an aware datetime as a datetime
        field's lookup adapts it (on SQLite, a string in the connection's time zone)."""
        if type(value) is datetime:
            if value.tzinfo is None:
                raise TypeError(f"PreparedQuery takes aware datetimes, not {value!r}")
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def _prepare(self, alias: str, shape: Hashable, values: dict[str, Any]) -> _Prepared:
        stand_ins = self._stand_ins(values)
        queryset = self.build(shape, **stand_ins).using(alias)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        in_statement = {
            name: self._in_statement(value, connections[alias]) for name, value in stand_ins.items()
        }
        filled = []
        for param in params:
            name = next(
                (
                    name
                    for name, value in in_statement.items()
                    if type(param) is type(value) and param == value
                ),
                None,
            )
            filled.append(param if name is None else _Slot(name))
        missing = set(stand_ins) - {param.name for param in filled if isinstance(param, _Slot)}
        if missing:
            raise ValueError(f"PreparedQuery: {sorted(missing)} not found in {params!r}")
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("PreparedQuery: prefetch_related and related managers run apart")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        prepared = _Prepared(
            sql=sql,
            params=tuple(filled),
            names=frozenset(stand_ins),
            compiler=compiler,
            converters=list(
                compiler.get_converters(
                    [column for column, _, _ in select[: compiler.col_count]]
                ).items()
            ),
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[column.target.attname for column, _, _ in select[start:end]],
            populators=get_related_populators(klass_info, select, alias),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
            col_count=compiler.col_count,
        )
        self._prepared[alias, shape] = prepared
        return prepared

    def fetch(
        self,
        shape: Hashable = None,
        *,
        using: str = "default",
        limit: int | None = None,
        offset: int = 0,
        **values: int | str | datetime,
    ) -> list[models.Model]:
        """The queryset's instances for these values; `limit` and `offset` as a slice
        `[offset:offset + limit]` of it would give."""
        prepared = self._prepared.get((using, shape)) or self._prepare(using, shape, values)
        if values.keys() != prepared.names:
            raise ValueError(f"PreparedQuery: {shape!r} takes {sorted(prepared.names)}")
        connection = connections[using]
        for name, value in values.items():
            if type(value) not in (int, str, datetime):
                values[name] = _plain(value)
        params = [
            self._in_statement(values[param.name], connection)
            if isinstance(param, _Slot)
            else param
            for param in prepared.params
        ]
        sql = prepared.sql
        if limit is not None:
            sql = f"{sql} LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connection.cursor() as cursor:
            # After the cursor: opening it may have replaced a connection that failed its
            # health check, and the statement is prepared on the session it runs on.
            prepared_now = None
            if self.planned_once and connection.vendor == "postgresql":
                sql, prepared_now = _executed_on_server(connection, sql, len(params))
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if prepared_now is not None:
                prepared_now()
        objects = []
        model, start, end, init_list = (
            prepared.model,
            prepared.start,
            prepared.end,
            prepared.init_list,
        )
        for row in rows:
            if len(row) > prepared.col_count:
                row = row[: prepared.col_count]
            if prepared.converters:
                row = list(row)
                for position, (converters, expression) in prepared.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            instance = model.from_db(using, init_list, row[start:end])
            for populator in prepared.populators:
                populator.populate(row, instance)
            for name, position in prepared.annotations:
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects


# A statement's placeholders (%s) and its escaped percent signs (%%), in order.
_PLACEHOLDER = re.compile(r"%[s%]")


class _ServerStatements(NamedTuple):
    """The statements PREPAREd on one database session: by SQL, their names."""

    session: object  # the driver's connection the names belong to
    names: dict[str, str]
    numbers: Iterator[int]


def _executed_on_server(connection, sql: str, count: int) -> tuple[str, Callable[[], None] | None]:
    """`sql` (with `count` placeholders) as an EXECUTE of a statement prepared on the
    connection's database session, and what to call once it has run: the first time, the
    statement's PREPARE goes in the same round trip, and its name is kept when that has
    run. The names are kept with the driver's connection they were made on, so a new
    session (a reconnection, a database restart) prepares them again; a PREPARE is not
    undone by a rollback, and a name is never given twice, so a statement prepared by a
    round trip that failed afterwards is left unused."""
    kept = connection.__dict__.get("_server_statements")
    if kept is None or kept.session is not connection.connection:
        kept = _ServerStatements(connection.connection, {}, itertools.count(1))
        connection.__dict__["_server_statements"] = kept
    arguments = f"({', '.join(['%s'] * count)})" if count else ""
    name = kept.names.get(sql)
    if name is not None:
        return f"EXECUTE {name}{arguments}", None
    name = f"portal_statement_{next(kept.numbers)}"
    numbers = itertools.count(1)
    # $1, $2… in place of %s; the %% stay, as the EXECUTE's values are put in the whole.
    numbered = _PLACEHOLDER.sub(
        lambda match: f"${next(numbers)}" if match.group() == "%s" else "%%", sql
    )
    return (
        f"PREPARE {name} AS {numbered}; EXECUTE {name}{arguments}",
        lambda: kept.names.__setitem__(sql, name),
    )
