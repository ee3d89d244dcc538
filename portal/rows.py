"""One model row by one column, for the lookups every request makes (the session's login).

`Model.objects.get(pk=...)` builds and compiles its query each time: about 0.4 ms of
Python for a row the database finds in 0.02 ms. `RowByKey` compiles the same query once
per database and then only executes it, reading the row as the ORM does (the backend's
and the fields' converters, `Model.from_db`), so the instance is the one `get()` returns.
"""

from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.sql.compiler import SQLCompiler

# What an id can be (a bigint): another number is no row's, and the database would refuse
# it rather than find nothing.
ID_RANGE = range(-(2**63), 2**63)


class _Prepared(NamedTuple):
    sql: str
    compiler: SQLCompiler
    converters: dict
    attnames: list[str]


class RowByKey:
    def __init__(self, model: type[models.Model], field: str = "pk") -> None:
        self.model = model
        self.field = field
        self.column = model._meta.pk if field == "pk" else model._meta.get_field(field)
        self._prepared: dict[str, _Prepared] = {}

    def _prepare(self, alias: str) -> _Prepared:
        # Compiled with a stand-in value: the SQL is the same for every value, which is
        # its one parameter.
        query = self.model._default_manager.using(alias).filter(**{self.field: 0}).query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if len(params) != 1:
            raise ValueError(f"RowByKey needs a lookup with one parameter, got {params!r}")
        columns = [column for column, _, _ in compiler.select]
        prepared = _Prepared(
            sql=sql,
            compiler=compiler,
            converters=compiler.get_converters(columns),
            attnames=[column.target.attname for column in columns],
        )
        self._prepared[alias] = prepared
        return prepared

    def get(self, value: Any) -> models.Model | None:
        """The row whose column equals `value`, as a model instance, or None."""
        alias = router.db_for_read(self.model)
        prepared = self._prepared.get(alias) or self._prepare(alias)
        connection = connections[alias]
        try:
            value = self.column.get_db_prep_value(
                self.column.to_python(value), connection, prepared=False
            )
        except (TypeError, ValueError, ValidationError):
            # A value the column cannot hold is no row's (get() raises DoesNotExist or the
            # same error; a session's login id comes from the server's own session).
            return None
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        if prepared.converters:
            row = next(prepared.compiler.apply_converters([row], prepared.converters))
        return self.model.from_db(alias, prepared.attnames, row)
