"""Tasks of the site as a whole: the private files no row names, and email sending as it
was before the outbox (kept for messages already in a broker when the portal is upgraded,
and for the few emails written outside any transaction that commits, such as an alert
about a refused request: the worker stores the email in the outbox and sends it)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from outbox.services import email_deliver, email_queue
from portal.files import private_orphans_purge


@shared_task
def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    reply_to: str = "",
) -> None:
    if not to:
        return
    email = email_queue(
        to=to, subject=subject, text=text, html=html, headers=headers, reply_to=reply_to
    )
    email_deliver(email_id=email.pk)


@shared_task
def purge_orphan_files() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): files no row names, older than
    PRIVATE_ORPHAN_FILES_HOURS (portal/files.py)."""
    hours = settings.PRIVATE_ORPHAN_FILES_HOURS
    return private_orphans_purge(older_than=timezone.now() - timedelta(hours=hours))
