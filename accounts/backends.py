from django.contrib.auth.backends import ModelBackend
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
