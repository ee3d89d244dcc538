import functools

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpRequest

from accounts.models import User
from portal.rows import RowByKey

# The login of every logged-in request, read by a statement compiled once (portal/rows.py).
_USER_BY_PK = RowByKey(User)


class EmailOrUsernameBackend(ModelBackend):
    """Log in with the username or the email address, whatever the case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        try:
            user = User.objects.get_by_login(username)
        except User.DoesNotExist:
            # Hash anyway so that unknown logins take as long as known ones.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: object) -> User | None:
        """ModelBackend's, with the row read by a prepared statement: the same instance,
        without compiling the query on each request."""
        user = _USER_BY_PK.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """ModelBackend's, with the login's own permissions and its groups' read in one
        statement rather than two: every admin page of an agent who is not a superuser
        asks for them (its list of apps checks every model)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permissions_of(user_obj.pk)
        return user_obj._perm_cache


def _column(through, name: str) -> str:
    return through._meta.get_field(name).column


@functools.cache
def _permissions_statement() -> str:
    """The statement of _permissions_of, written once a process from the models' tables."""
    own = User.user_permissions.through
    member = User.groups.through
    granted = Group.permissions.through
    return f"""
        SELECT ct.app_label, p.codename
          FROM {Permission._meta.db_table} p
          JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
         WHERE p.id IN (
               SELECT {_column(own, "permission")} FROM {own._meta.db_table}
                WHERE {_column(own, "user")} = %s
               UNION
               SELECT g.{_column(granted, "permission")}
                 FROM {granted._meta.db_table} g
                 JOIN {member._meta.db_table} m
                   ON m.{_column(member, "group")} = g.{_column(granted, "group")}
                WHERE m.{_column(member, "user")} = %s)
        """  # noqa: S608 - the table and column names are the models', nothing else is text


def _permissions_of(user_id: int) -> set[str]:
    """ "app_label.codename" of every permission the login has, its own or its groups'."""
    with connection.cursor() as cursor:
        cursor.execute(_permissions_statement(), [user_id, user_id])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}


def axes_login_name(request: HttpRequest, credentials: dict | None) -> str:
    """The login as axes counts it: one counter per login, whether its username or its
    email address was typed, in whatever case. A name that is no login's is counted as
    typed, in lower case."""
    value = ""
    if credentials:
        value = credentials.get("username") or ""
    elif request is not None and request.method == "POST":
        value = request.POST.get("username", "")
    value = value.strip()
    try:
        return User.objects.get_by_login(value).username.lower()
    except User.DoesNotExist:
        return value.lower()
