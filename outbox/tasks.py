"""Celery tasks of the outbox. Arguments are ids only: the email waits in the database."""

from celery import Task, shared_task
from celery.signals import worker_ready

from outbox.services import email_deliver, outbox_purge, outbox_release_worker, outbox_sweep


@shared_task(bind=True)
def send_outbound_email(self: Task, email_id: int) -> None:
    """Send one email; a refusal is recorded on it and retried by the sweep, not here."""
    email_deliver(email_id=email_id, worker=self.request.hostname or "")


@shared_task
def sweep_outbox() -> int:
    """Every OUTBOX_SWEEP_SECONDS (CELERY_BEAT_SCHEDULE)."""
    return outbox_sweep()


@shared_task
def purge_outbox() -> int:
    """Daily (CELERY_BEAT_SCHEDULE)."""
    return outbox_purge()


@worker_ready.connect
def _take_back_what_this_worker_was_sending(sender: object, **kwargs: object) -> None:
    outbox_release_worker(worker=getattr(sender, "hostname", "") or "")
