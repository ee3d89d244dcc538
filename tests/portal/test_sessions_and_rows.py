"""The session and the login that every logged-in request reads: by prepared statements
(portal/sessions.py, portal/rows.py), with what Django's own reads give."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import User
from portal.rows import RowByKey
from portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_login_read_by_the_prepared_statement_equals_the_orms_in_every_field(owner):
    owner.last_login = timezone.now()
    owner.save()

    read = RowByKey(User).get(owner.pk)

    expected = User.objects.get(pk=owner.pk)
    assert type(read) is User
    assert field_values(read) == field_values(expected)
    assert read._state.adding is False and read._state.db == "default"
    # A value of the column's type in a string, as a session stores it.
    assert RowByKey(User).get(str(owner.pk)).pk == owner.pk


@pytest.mark.parametrize("value", [0, 987654321, "not a number", None, ""])
def test_no_login_is_read_for_a_key_no_row_has(owner, value):
    assert RowByKey(User).get(value) is None


def test_a_lookup_by_another_unique_column(owner):
    assert RowByKey(User, "username").get(owner.username).pk == owner.pk
    assert RowByKey(User, "username").get("nobody-has-this") is None


def test_the_session_store_reads_what_djangos_database_store_wrote():
    written = DatabaseStore()
    written["_auth_user_id"] = "42"
    written["language"] = "el"
    written.create()

    read = SessionStore(written.session_key)

    assert dict(read.items()) == {"_auth_user_id": "42", "language": "el"}
    assert read.session_key == written.session_key


def test_an_expired_a_deleted_or_an_unknown_session_reads_empty_and_gets_a_new_key():
    written = SessionStore()
    written["_auth_user_id"] = "42"
    written.create()
    expired = SessionStore()
    expired["_auth_user_id"] = "43"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    deleted = SessionStore()
    deleted["_auth_user_id"] = "44"
    deleted.create()
    deleted.delete()

    for key in (expired.session_key, deleted.session_key, "x" * 32, "short"):
        store = SessionStore(key)
        assert dict(store.items()) == {}
        store["note"] = "kept"
        store.save()
        assert store.session_key != key
        assert SessionStore(store.session_key)["note"] == "kept"
    assert SessionStore(written.session_key)["_auth_user_id"] == "42"
