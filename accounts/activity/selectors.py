from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from accounts.activity.services import history_start
from accounts.models import LoginAttempt, SignedInSession, User


def login_history_page(*, user: User, number: str | int | None) -> Page:
    """A page of the login's history within LOGIN_HISTORY_DAYS, newest first."""
    rows = LoginAttempt.objects.filter(user=user, created_at__gte=history_start())
    return Paginator(rows.order_by("-created_at", "-id"), 20).get_page(number)


def signed_in_sessions(*, user: User) -> QuerySet[SignedInSession]:
    return SignedInSession.objects.filter(user=user).order_by("-last_seen_at", "-id")
