"""Beat jobs of the email channel: poll each mailbox, then process each stored email in a
task of its own, so one bad email cannot stop the others."""

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from mailin import fetching, selectors, services
from mailin.models import InboundEmail

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task
def poll_mailboxes() -> int:
    """Every minute or so: one poll_mailbox per configured mailbox."""
    for url in settings.INBOUND_IMAP_URL:
        poll_mailbox.delay(url)
    ids = selectors.inbound_emails_waiting(received_before=timezone.now() - timedelta(minutes=10))
    for inbound_id in ids:
        process_inbound_email.delay(inbound_id)
    return len(settings.INBOUND_IMAP_URL)


@shared_task
def poll_mailbox(url: str) -> int:
    ids = fetching.fetch_mailbox(url)
    for inbound_id in ids:
        process_inbound_email.delay(inbound_id)
    return len(ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def process_inbound_email(self: Task, inbound_id: int) -> str:
    try:
        return services.inbound_email_process(inbound_id=inbound_id)
    except Exception as error:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Gave up on inbound email %s", inbound_id)
            services.inbound_email_fail(inbound_id=inbound_id, reason=repr(error))
            return InboundEmail.Status.FAILED
        raise self.retry(countdown=min(30 * 2**self.request.retries, 1800)) from None
