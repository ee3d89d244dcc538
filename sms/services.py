"""Writes to the SMS record: queueing under the anti-abuse limits, sending, delivery
reports, and the record of messages received.

Sending: the record is claimed with a conditional UPDATE (queued -> sending), so a task
that the broker delivers twice sends at most once. A transient failure puts the record
back to queued and raises SmsTransientError for the task to retry; a permanent one marks
it failed with the provider's error code, which people read described in their language
(`SmsMessage.error_display`).

Each message carries a status callback URL with the record's id, so a delivery report
finds its record even when it arrives before the provider's message ID is saved. Records
that no task will finish (a task expired in the broker, a worker that died while
sending) are closed by `sms_close_abandoned`, run periodically; nothing is ever resent.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from portal.exceptions import Refusal
from portal.mail import render_email
from portal.tasks import send_email
from sms import SmsPermanentError, SmsTransientError, errors, send_sms
from sms.models import InboundSms, SmsMessage
from sms.purposes import purpose_task

Status = SmsMessage.Status
logger = logging.getLogger(__name__)

# Delivery reports only ever move a message forward; a late or repeated report changes
# nothing. A report that the provider has the message settles an unknown outcome.
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.UNKNOWN: 2,
    Status.SENT: 3,
    Status.DELIVERED: 4,
    Status.UNDELIVERED: 4,
    Status.FAILED: 4,
    Status.EXPIRED: 4,
}
# The log's text on a record whose sending was interrupted (kept in English, as the
# provider's errors are; people read `SmsMessage.error_display`, in their language).
OUTCOME_UNKNOWN_ERROR = "sending was interrupted; the SMS may or may not have gone out"
TWILIO_STATUSES = {
    "accepted": Status.SENT,
    "queued": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
}


# Any fixed number: the key of the PostgreSQL advisory lock that serialises SMS requests.
SMS_QUEUE_LOCK_KEY = 7_316_200


class SmsRefused(Refusal):
    """A limit refuses the message; `message` says why, for the person who asked."""


def _start_of_day(now: datetime) -> datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _check_limits(
    *, to: str, user: AbstractBaseUser | None, ip_address: str | None, now: datetime
) -> None:
    sent = SmsMessage.objects.all()
    if sent.filter(created_at__gte=_start_of_day(now)).count() >= settings.SMS_DAILY_GLOBAL_CAP:
        _alert_supervisors_of_cap(now=now)
        raise SmsRefused(
            _("SMS sending is paused for today. Please call support or try again tomorrow.")
        )
    if not _country_allowed(to):
        raise SmsRefused(
            _("We can send SMS only to mobile numbers of these countries: %(countries)s.")
            % {"countries": ", ".join(settings.SMS_ALLOWED_COUNTRIES)}
        )
    # Per destination, whoever asks: many logins (or none) cannot flood one phone.
    to_number = sent.filter(to=to)
    if (
        to_number.filter(created_at__gte=now - timedelta(hours=1)).count()
        >= settings.SMS_LIMIT_PER_NUMBER_HOUR
    ):
        raise SmsRefused(
            _("This number has had the most SMS allowed in an hour. Please try again later.")
        )
    if (
        to_number.filter(created_at__gte=now - timedelta(days=1)).count()
        >= settings.SMS_LIMIT_PER_NUMBER_DAY
    ):
        raise SmsRefused(_("This number has had the most SMS allowed in a day."))
    if user is not None:
        mine = sent.filter(user=user)
        minutes = settings.SMS_LIMIT_PER_LOGIN_WINDOW_MINUTES
        if (
            mine.filter(created_at__gte=now - timedelta(minutes=minutes)).count()
            >= settings.SMS_LIMIT_PER_LOGIN_WINDOW
        ):
            raise SmsRefused(
                ngettext(
                    "Too many SMS for this login in the last %(minutes)d minute. "
                    "Please wait a little.",
                    "Too many SMS for this login in the last %(minutes)d minutes. "
                    "Please wait a little.",
                    minutes,
                )
                % {"minutes": minutes}
            )
        if (
            mine.filter(created_at__gte=now - timedelta(days=1)).count()
            >= settings.SMS_LIMIT_PER_LOGIN_DAY
        ):
            raise SmsRefused(_("This login has had the most SMS allowed in a day."))
    if (
        ip_address
        and sent.filter(ip_address=ip_address, created_at__gte=now - timedelta(hours=1)).count()
        >= settings.SMS_LIMIT_PER_ADDRESS_HOUR
    ):
        raise SmsRefused(
            _("Too many SMS requested from your network in the last hour. Please wait.")
        )


def _country_allowed(to: str) -> bool:
    """Whether `to` is in SMS_ALLOWED_COUNTRIES, as the provider's geo permissions would
    say (checked here too, so that no caller can send elsewhere)."""
    try:
        number = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException:
        return False
    allowed = {code.upper() for code in settings.SMS_ALLOWED_COUNTRIES}
    return phonenumbers.region_code_for_number(number) in allowed


def _alert_supervisors_of_cap(*, now: datetime) -> None:
    day = _start_of_day(now).date().isoformat()
    # One alert a day, whichever process notices first.
    if not cache.add(f"sms-cap-alert:{day}", True, timeout=60 * 60 * 25):
        return
    recipients = list(settings.SUPERVISOR_EMAILS) or list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject, text, html = render_email(
        "sms/email/cap_reached",
        {"cap": settings.SMS_DAILY_GLOBAL_CAP, "day": day},
        settings.LANGUAGE_CODE,
    )
    # Published at once, not stored in the outbox: the refused request's transaction is
    # rolled back. The worker stores it (portal.tasks.send_email); while the broker is
    # down, the next refused SMS tries again.
    try:
        for address in recipients:
            send_email.delay(to=address, subject=subject, text=text, html=html)
    except Exception:
        logger.exception("The SMS cap alert could not be queued; the next refusal retries")
        cache.delete(f"sms-cap-alert:{day}")


@transaction.atomic
def sms_queue(
    *,
    to: str,
    purpose: str,
    body: str,
    user: AbstractBaseUser | None = None,
    requested_by: AbstractBaseUser | None = None,
    ip_address: str | None = None,
    expires_at: datetime | None = None,
) -> SmsMessage:
    """Store an SMS to be sent by a task, or raise SmsRefused when a limit forbids it.

    `purpose` is one the caller registered (sms.purposes). `body` must already have any
    secret masked. The caller enqueues its task on commit.
    """
    _serialise_sms_requests()
    now = timezone.now()
    _check_limits(to=to, user=user, ip_address=ip_address, now=now)
    sms = SmsMessage.objects.create(
        to=to,
        purpose=purpose,
        body=body,
        user=user,
        requested_by=requested_by,
        ip_address=ip_address,
        expires_at=expires_at,
    )
    transaction.on_commit(lambda: sms_enqueue(sms=sms))
    return sms


def sms_enqueue(*, sms: SmsMessage) -> bool:
    """Hand a queued SMS to its purpose's task. False when the broker cannot take it: the
    record stays queued for `sms_requeue_waiting`, and the request that asked for it
    answers as usual (publishing gives up quickly: CELERY_BROKER_TRANSPORT_OPTIONS)."""
    task = import_string(purpose_task(sms.purpose))
    try:
        task.apply_async(args=[sms.pk], expires=sms.expires_at)
    except Exception:
        logger.warning("SMS %s left for the sweep: the broker refused it", sms.pk)
        return False
    return True


def sms_requeue_waiting(*, now: datetime | None = None) -> int:
    """Every minute or so: hand every SMS still queued SMS_REQUEUE_AFTER_SECONDS after it
    was asked for (or last refused) to its task again, until it expires. Its task was
    lost or never published; if it is only late, the atomic claim in `sms_deliver` lets
    one of the two send it. Returns how many were handed over."""
    now = now or timezone.now()
    waited = now - timedelta(seconds=settings.SMS_REQUEUE_AFTER_SECONDS)
    waiting = (
        SmsMessage.objects.filter(status=Status.QUEUED)
        .filter(Q(expires_at__gt=now) | Q(expires_at__isnull=True))
        .filter(
            Q(status_changed_at__lte=waited)
            | Q(status_changed_at__isnull=True, created_at__lte=waited)
        )
        .order_by("created_at")[:500]
    )
    handed = 0
    for sms in waiting:
        if not sms_enqueue(sms=sms):
            break
        handed += 1
    return handed


def _serialise_sms_requests() -> None:
    """Hold, until the transaction ends, a lock that makes the limits exact under
    concurrent requests: the global cap and the per-address limit span many logins, so
    locking the login's row alone would let parallel requests for different logins all
    pass at the limit. SMS requests are few (the cap is thousands a day), so one lock for
    all of them costs nothing. SQLite (development only) has no such lock and needs none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SMS_QUEUE_LOCK_KEY])


def sms_status_report(
    *, sms_id: int, provider_sid: str, provider_status: str, error_code: str = ""
) -> bool:
    """Apply a provider's delivery report for the record `sms_id` (from the callback URL).

    The report may come before the sending task saved the provider's message ID; it then
    saves it. A report whose message ID differs from the one stored is ignored. Returns
    False when the report is unknown, stale, a duplicate or not this record's.
    """
    status = TWILIO_STATUSES.get(provider_status)
    if status is None or not provider_sid:
        return False
    earlier = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    return bool(
        SmsMessage.objects.filter(
            Q(provider_sid="") | Q(provider_sid=provider_sid), pk=sms_id, status__in=earlier
        ).update(
            status=status,
            status_changed_at=timezone.now(),
            provider_sid=provider_sid[:64],
            error_code=error_code[:20],
            error_message="",
        )
    )


def _status_callback_url(sms: SmsMessage) -> str:
    return f"{settings.SITE_URL}{reverse('sms:status', args=[sms.pk])}"


# The text holds secrets (a PIN) in this frame and every one below, down to the provider's SDK.
@sensitive_variables()
def sms_deliver(*, sms_id: int, render: Callable[[SmsMessage], str | None]) -> SmsMessage | None:
    """Send the SMS `sms_id` with the text `render(sms)` gives at send time.

    `render` returns None when the message no longer makes sense (e.g. the PIN was
    switched off); the record is then marked failed without sending. Returns the record,
    or None when another delivery already claimed it.
    """
    now = timezone.now()
    claimed = SmsMessage.objects.filter(pk=sms_id, status=Status.QUEUED).update(
        status=Status.SENDING, send_attempts=F("send_attempts") + 1, status_changed_at=now
    )
    if not claimed:
        return None
    sms = SmsMessage.objects.select_related("user").get(pk=sms_id)
    if sms.expires_at is not None and sms.expires_at <= now:
        _finish(sms, status=Status.EXPIRED)
        return sms
    try:
        body = render(sms)
    except Exception:
        _finish(
            sms,
            status=Status.FAILED,
            error_code=errors.NOT_PREPARED,
            error_message="the text could not be prepared",
        )
        raise
    if body is None:
        _finish(
            sms,
            status=Status.FAILED,
            error_code=errors.NOT_APPLICABLE,
            error_message="no longer applicable",
        )
        return sms
    try:
        sid = send_sms(sms.to, body, status_callback=_status_callback_url(sms))
    except SmsTransientError as error:
        _finish(sms, status=Status.QUEUED, error_code=error.code, error_message=error.message)
        raise
    except SmsPermanentError as error:
        _finish(sms, status=Status.FAILED, error_code=error.code, error_message=error.message)
        return sms
    except Exception:
        # The provider may have taken the message before the error: never resent.
        _finish(
            sms,
            status=Status.UNKNOWN,
            error_code=errors.INTERRUPTED,
            error_message=OUTCOME_UNKNOWN_ERROR,
        )
        raise
    _record_sent(sms, provider_sid=sid)
    logger.info("SMS %s (%s) sent: provider id %s", sms.pk, sms.purpose, sid)
    return sms


def sms_give_up(*, sms_id: int, error_message: str) -> None:
    """Called by a task when its retries are exhausted."""
    SmsMessage.objects.filter(pk=sms_id, status=Status.QUEUED).update(
        status=Status.FAILED, error_message=error_message[:500], status_changed_at=timezone.now()
    )


def _finish(sms: SmsMessage, *, status: str, **fields: str) -> None:
    """Record how sending ended, unless a delivery report or the sweep got there first.

    Back to queued (for a retry) only from sending: once a record is marked unknown, the
    agent has been told it will not be resent. Any other end settles an unknown outcome.
    """
    fields["error_message"] = fields.get("error_message", "")[:500]
    settled = [Status.SENDING] if status == Status.QUEUED else [Status.SENDING, Status.UNKNOWN]
    SmsMessage.objects.filter(pk=sms.pk, status__in=settled).update(
        status=status, status_changed_at=timezone.now(), **fields
    )
    sms.refresh_from_db()


def _record_sent(sms: SmsMessage, *, provider_sid: str) -> None:
    """The provider accepted the message: keep its ID whatever the status, and move to
    sent unless a delivery report has already moved the record further."""
    now = timezone.now()
    unsettled = Q(status__in=[Status.SENDING, Status.UNKNOWN])
    SmsMessage.objects.filter(pk=sms.pk).update(
        provider_sid=provider_sid,
        sent_at=now,
        status=Case(When(unsettled, then=Value(Status.SENT)), default=F("status")),
        status_changed_at=Case(When(unsettled, then=Value(now)), default=F("status_changed_at")),
        error_code=Case(When(unsettled, then=Value("")), default=F("error_code")),
        error_message=Case(When(unsettled, then=Value("")), default=F("error_message")),
    )
    sms.refresh_from_db()


@transaction.atomic
def sms_close_abandoned(*, now: datetime | None = None) -> tuple[int, int]:
    """Close the records that no task will finish; safe to run any number of times.

    Queued past the time it should be sent by (the task expired in the broker, or was
    lost): expired. Sending for longer than any send can take (the worker died, or an
    unexpected error): unknown, with an error saying so. Neither is ever resent: an SMS
    with a code must not arrive twice, so whether to send another is the sender's call.
    Returns (expired, unknown).
    """
    now = now or timezone.now()
    expired_ids = list(
        SmsMessage.objects.select_for_update(skip_locked=True)
        .filter(
            Q(expires_at__lte=now)
            | Q(
                expires_at__isnull=True,
                created_at__lte=now - timedelta(hours=settings.SMS_UNSENT_GIVE_UP_HOURS),
            ),
            status=Status.QUEUED,
        )
        .values_list("pk", flat=True)
    )
    expired = SmsMessage.objects.filter(pk__in=expired_ids, status=Status.QUEUED).update(
        status=Status.EXPIRED, status_changed_at=now
    )
    stuck_since = now - timedelta(minutes=settings.SMS_SENDING_STUCK_MINUTES)
    unknown_ids = list(
        SmsMessage.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status_changed_at__lte=stuck_since)
            | Q(status_changed_at__isnull=True, created_at__lte=stuck_since),
            status=Status.SENDING,
        )
        .values_list("pk", flat=True)
    )
    unknown = SmsMessage.objects.filter(pk__in=unknown_ids, status=Status.SENDING).update(
        status=Status.UNKNOWN,
        status_changed_at=now,
        error_code=errors.INTERRUPTED,
        error_message=OUTCOME_UNKNOWN_ERROR,
    )
    if expired_ids or unknown_ids:
        logger.warning(
            "Abandoned SMS closed: expired %s, outcome unknown %s", expired_ids, unknown_ids
        )
    return expired, unknown


def sms_inbound_record(*, provider_sid: str, from_number: str) -> bool:
    """Record a message received on the provider's number, before its caller acts on it.

    False when this message was recorded before (the provider retried its webhook, or a
    signed request was replayed) or has no provider ID: the caller then does nothing.
    Call it in the transaction of the caller's action, so that a failed action leaves no
    record and the provider's retry is handled.
    """
    if not provider_sid:
        return False
    try:
        with transaction.atomic():
            InboundSms.objects.create(provider_sid=provider_sid[:64], from_number=from_number[:40])
    except IntegrityError:
        return False
    return True
