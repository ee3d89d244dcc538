"""Beat jobs of tickets. Each finds the tickets concerned and hands each id to a service,
which locks the row and checks again, so a job that runs twice does no harm."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from tickets import selectors, services


@shared_task
def close_resolved_tickets() -> int:
    resolved_before = timezone.now() - timedelta(days=settings.TICKETS_AUTO_CLOSE_DAYS)
    ids = selectors.tickets_to_auto_close(resolved_before=resolved_before)
    return sum(services.ticket_auto_close(ticket_id=ticket_id) for ticket_id in ids)


@shared_task
def warn_of_coming_breaches() -> int:
    within = timedelta(minutes=settings.TICKETS_BREACH_WARNING_MINUTES)
    ids = selectors.tickets_near_breach(now=timezone.now(), within=within)
    return sum(services.ticket_breach_warn(ticket_id=ticket_id) for ticket_id in ids)


@shared_task
def purge_pending_uploads() -> int:
    return services.pending_uploads_purge(older_than=timezone.now() - timedelta(days=1))
