"""Every write of the login history and of the index of signed-in sessions."""

from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, LoginAttempt, SignedInSession, User
from portal.mail import email_user
from portal.useragent import SYSTEMS, client_of


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _client_fields(user_agent: str) -> dict[str, str]:
    client = client_of(user_agent or "")
    return {
        "browser_family": client.browser_family,
        "browser_version": client.browser_version,
        "system": client.system,
    }


def history_start() -> datetime:
    """The oldest moment the login history keeps."""
    return timezone.now() - timedelta(days=settings.LOGIN_HISTORY_DAYS)


@transaction.atomic
def login_attempt_record(
    *,
    user: User | None,
    outcome: str,
    method: str,
    ip_address: str | None,
    user_agent: str,
    session_id: int | None = None,
) -> LoginAttempt:
    """Record one attempt to log in. A successful one from a browser and system not seen
    on this login within LOGIN_HISTORY_DAYS is emailed to the login's owner (not the
    login's very first: there is nothing to compare it with)."""
    fields = _client_fields(user_agent)
    new_device = False
    if user is not None and outcome == LoginAttempt.Outcome.SUCCESS:
        successes = LoginAttempt.objects.filter(user=user, outcome=LoginAttempt.Outcome.SUCCESS)
        new_device = (
            successes.exists()
            and not successes.filter(
                created_at__gte=history_start(),
                browser_family=fields["browser_family"],
                system=fields["system"],
            ).exists()
        )
    attempt = LoginAttempt.objects.create(
        user=user,
        outcome=outcome,
        method=method,
        ip_address=ip_address,
        session_id=session_id,
        **fields,
    )
    if new_device:
        email_user(
            user,
            "accounts/email/new_sign_in",
            at=attempt.created_at,
            ip_address=ip_address or "",
            browser=f"{attempt.browser_family} {attempt.browser_version}".strip(),
            system=SYSTEMS.get(attempt.system, ""),
            security_url=f"{settings.SITE_URL}{reverse('accounts:security')}",
            password_change_url=f"{settings.SITE_URL}{reverse('accounts:password_change')}",
        )
    return attempt


def _lock_login(user: User) -> None:
    # Starting and ending sessions of one login take turns, so that "sign out everywhere
    # else" cannot miss a session indexed while it runs.
    User.objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def session_start(
    *, user: User, session_key: str, ip_address: str | None, user_agent: str
) -> SignedInSession:
    """Index a session that has just logged in to `user`."""
    _lock_login(user)
    return SignedInSession.objects.create(
        user=user, session_key=session_key, ip_address=ip_address, **_client_fields(user_agent)
    )


def session_seen(
    *, session: SignedInSession, session_key: str, ip_address: str | None, at: datetime
) -> datetime:
    """The session made a request: its last activity moves at most once a minute (a write
    on every request would cost more than the minute tells), and its key follows the
    session when Django changed it (on a password change). Returns the last activity."""
    stale = at - session.last_seen_at >= timedelta(seconds=settings.SESSION_ACTIVITY_SECONDS)
    if not stale and session.session_key == session_key:
        return session.last_seen_at
    SignedInSession.objects.filter(pk=session.pk).update(
        last_seen_at=at, session_key=session_key, ip_address=ip_address
    )
    return at


def _end(sessions: list[SignedInSession]) -> None:
    store = _session_store()
    SignedInSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    for session in sessions:
        if session.session_key:
            store(session.session_key).delete()


@transaction.atomic
def session_end(*, user: User, session_id: int, acting_user: User) -> None:
    """End one of `user`'s sessions (by the login itself, or staff in the admin);
    SignedInSession.DoesNotExist if it is not theirs."""
    _lock_login(user)
    session = SignedInSession.objects.get(pk=session_id, user=user)
    _end([session])
    AccountEvent.objects.create(
        user=user, actor=acting_user, kind=AccountEvent.Kind.SESSIONS_ENDED, detail={"count": 1}
    )


@transaction.atomic
def sessions_end_others(
    *, user: User, keep_session_id: int | None, acting_user: User | None
) -> int:
    """End every session of `user` but the one numbered `keep_session_id` (all of them
    when None); the number ended."""
    _lock_login(user)
    sessions = list(SignedInSession.objects.filter(user=user).exclude(pk=keep_session_id))
    _end(sessions)
    if sessions:
        AccountEvent.objects.create(
            user=user,
            actor=acting_user,
            kind=AccountEvent.Kind.SESSIONS_ENDED,
            detail={"count": len(sessions)},
        )
    return len(sessions)


def session_logged_out(*, session_id: int) -> None:
    """The session logged out by itself: it is no longer listed."""
    SignedInSession.objects.filter(pk=session_id).delete()


def login_history_purge(*, before: datetime | None = None) -> int:
    """Delete the login history older than LOGIN_HISTORY_DAYS; the number of rows."""
    deleted, _ = LoginAttempt.objects.filter(created_at__lt=before or history_start()).delete()
    return deleted


def security_notice_send(*, user: User, change: str) -> None:
    """Email the login's owner that `change` (a lazy text, rendered in the login's
    language) was made to the security of the login, and what to do if it was not them."""
    email_user(
        user,
        "accounts/email/security_notice",
        change=change,
        security_url=f"{settings.SITE_URL}{reverse('accounts:security')}",
        password_reset_url=f"{settings.SITE_URL}{reverse('accounts:password_reset')}",
    )
