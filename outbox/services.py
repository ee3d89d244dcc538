"""Writing, sending and sweeping outgoing email (see the package's docstring)."""

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import OutboundEmail

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status

# After a refusal or a lost connection: OUTBOX_RETRY_FIRST_SECONDS (30 s), then twice as
# long each time, at most 30 min apart.
RETRY_MAX_SECONDS = 30 * 60
# How many due emails one sweep hands to the workers; the next sweep takes the rest.
SWEEP_BATCH = 500


def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    reply_to: str = "",
    template: str = "",
    user_id: int | None = None,
) -> OutboundEmail:
    """Store one email in the current transaction; a worker sends it once that commits.

    An email addressed to nobody (`to` empty) is stored and queued all the same, so that a
    form answering an unknown address does the same work as for a known one; the task
    deletes it unsent."""
    headers = dict(headers or {})
    message_id = headers.pop("Message-ID", "") or make_msgid(domain=_message_id_domain())
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        reply_to=reply_to,
        message_id=message_id,
        template=template[:200],
        user_id=user_id,
        due_at=timezone.now(),
    )
    transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return email


def email_enqueue(*, email_id: int) -> bool:
    """Hand one email to a worker. False when the broker cannot take it: the row stays
    pending and the sweep hands it again later, so the caller's request never fails for
    it (publishing gives up quickly: CELERY_BROKER_TRANSPORT_OPTIONS)."""
    from outbox.tasks import send_outbound_email

    try:
        send_outbound_email.apply_async(args=[email_id])
    except Exception:
        logger.warning("Email %s left for the outbox sweep: the broker refused it", email_id)
        return False
    return True


def email_deliver(*, email_id: int, worker: str = "") -> str:
    """Send one email if it is due and nobody else is sending it. Returns its status
    afterwards ("" when there is nothing to do: sent, failed, not due, or taken)."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=Status.PENDING, due_at__lte=now
    ).update(
        status=Status.SENDING, claimed_at=now, claimed_by=worker[:200], attempts=F("attempts") + 1
    )
    if not claimed:
        return ""
    email = OutboundEmail.objects.get(pk=email_id)
    if not email.to:
        email.delete()
        return ""
    try:
        _smtp_send(email)
    except OSError as error:  # smtplib's errors are OSErrors too
        return _record_refusal(email, error, now=now)
    except Exception as error:
        # Whether the server took it is unknown: at least once, so it is tried again.
        _record_refusal(email, error, now=now)
        raise
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", text="", html=""
    )
    logger.info("Email %s sent", email.pk)
    return Status.SENT


def email_send_again(*, email: OutboundEmail) -> bool:
    """An agent's "send again" for a failed email: pending at once. False for any other
    status (a pending one will go, a sent one went)."""
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
            status=Status.PENDING, due_at=timezone.now(), last_error=""
        )
        if updated:
            transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return bool(updated)


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Every OUTBOX_SWEEP_SECONDS: take back what a dead worker was sending, and hand
    every email that is due and has waited more than OUTBOX_REQUEUE_AFTER_SECONDS to the
    workers. Safe to run any number of times and from any number of processes (a claim
    decides who sends). Returns how many emails were handed over."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    released = OutboundEmail.objects.filter(
        status=Status.SENDING, claimed_at__lte=now - lease
    ).update(status=Status.PENDING, due_at=now - lease)
    if released:
        logger.warning("Outbox: %d emails whose sending never finished are sent again", released)
    due = list(
        OutboundEmail.objects.filter(
            status=Status.PENDING,
            due_at__lte=now - timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS),
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    handed = 0
    for email_id in due:
        if not email_enqueue(email_id=email_id):
            break
        handed += 1
    return handed


def outbox_release_worker(*, worker: str) -> int:
    """A worker that starts takes back what an earlier run under its name was sending
    when it died, and hands it out again at once rather than after the lease."""
    if not worker:
        return 0
    released = list(
        OutboundEmail.objects.filter(status=Status.SENDING, claimed_by=worker).values_list(
            "pk", flat=True
        )
    )
    OutboundEmail.objects.filter(pk__in=released, status=Status.SENDING).update(
        status=Status.PENDING, due_at=timezone.now()
    )
    for email_id in released:
        email_enqueue(email_id=email_id)
    return len(released)


def outbox_purge(*, now: datetime | None = None) -> int:
    """Daily: sent and failed emails older than OUTBOX_KEEP_DAYS go."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboundEmail.objects.filter(
        status__in=[Status.SENT, Status.FAILED], created_at__lte=cutoff
    ).delete()
    return deleted


def _smtp_send(email: OutboundEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={**email.headers, "Message-ID": email.message_id},
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    message.send()


def _is_transient(error: Exception) -> bool:
    """4xx answers mean "try again later"; 5xx ones (unknown recipient, rejected message)
    will be refused again however often. Anything else (a server that cannot be reached or
    hangs up, an unexpected error) is worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True


def _server_answer(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {_decoded(text)}" for code, text in error.recipients.values())[
            :500
        ]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_decoded(error.smtp_error)}"[:500]
    return (f"{type(error).__name__}: {error}")[:500]


def _decoded(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def _record_refusal(email: OutboundEmail, error: Exception, *, now: datetime) -> str:
    answer = _server_answer(error)
    give_up_at = email.created_at + timedelta(hours=settings.OUTBOX_GIVE_UP_HOURS)
    if _is_transient(error) and now < give_up_at:
        first = settings.OUTBOX_RETRY_FIRST_SECONDS
        delay = min(first * 2 ** (email.attempts - 1), RETRY_MAX_SECONDS)
        fields = {"status": Status.PENDING, "due_at": now + timedelta(seconds=delay)}
        logger.info("Email %s not sent (%s); next attempt in %d s", email.pk, answer, delay)
    else:
        fields = {"status": Status.FAILED}
        logger.warning("Email %s failed for good: %s", email.pk, answer)
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        last_error=answer, **fields
    )
    return fields["status"]


def _message_id_domain() -> str:
    # The sender's domain, not the host's name (looking that up can take seconds).
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"
