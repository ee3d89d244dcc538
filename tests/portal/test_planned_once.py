"""Statements planned once by PostgreSQL (portal/prepared.py, `planned_once=True`): the
statement is PREPAREd on the database session in the round trip of its first run and
EXECUTEd afterwards, with the same rows as the ORM's; a new session prepares it again,
and a first run that failed leaves nothing behind that a later run would miss."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL

from accounts.models import Customer
from portal.prepared import PreparedQuery

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PREPARE is PostgreSQL's (SQLite runs the SQL)"
    ),
]


def by_name(shape, *, name: str):
    # A literal percent sign in the SQL: psycopg2 takes it as %%, PREPARE as %.
    return Customer.objects.filter(name=name).annotate(mark=RawSQL("'100%%'", ()))


def server_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def ours(statements: list[str]) -> list[str]:
    return [sql for sql in statements if "accounts_customer" in sql and "100%" in sql]


@pytest.fixture
def customers(db):
    return [Customer.objects.create(name=name) for name in ("Acme", "Globex")]


def test_the_statement_is_prepared_once_and_gives_the_orms_rows(
    customers, django_assert_num_queries
):
    query = PreparedQuery(by_name, planned_once=True)

    with django_assert_num_queries(1):
        first = query.fetch(name="Acme")
    with django_assert_num_queries(1) as second:
        again = query.fetch(name="Globex")

    assert [(c.pk, c.name, c.mark) for c in first] == [(customers[0].pk, "Acme", "100%")]
    assert [(c.pk, c.name, c.mark) for c in again] == [(customers[1].pk, "Globex", "100%")]
    assert second.captured_queries[0]["sql"].startswith("EXECUTE portal_statement_")
    assert len(ours(server_statements())) == 1


def test_a_new_database_session_prepares_it_again(customers):
    query = PreparedQuery(by_name, planned_once=True)
    query.fetch(name="Acme")

    connection.close()  # as after a database restart or CONN_MAX_AGE

    assert [c.name for c in query.fetch(name="Globex")] == ["Globex"]
    assert len(ours(server_statements())) == 1


def test_a_first_run_that_failed_is_prepared_again_by_the_next(customers):
    query = PreparedQuery(by_name, planned_once=True)

    with transaction.atomic():
        with connection.cursor() as cursor, pytest.raises(DatabaseError):
            cursor.execute("SELECT 1 / 0")  # the transaction is aborted: nothing runs
        with pytest.raises(DatabaseError):
            query.fetch(name="Acme")

    assert [c.name for c in query.fetch(name="Acme")] == ["Acme"]
    assert [c.name for c in query.fetch(name="Globex")] == ["Globex"]


def test_a_statement_without_values_is_executed_without_arguments(customers):
    query = PreparedQuery(
        lambda shape: Customer.objects.order_by("name").only("name"), planned_once=True
    )

    assert [c.name for c in query.fetch()] == ["Acme", "Globex"]
    assert [c.name for c in query.fetch()] == ["Acme", "Globex"]
