"""Beat jobs of tickets. Each finds the tickets concerned and fans out one task per id, so
one ticket that fails cannot stop the others; each of those tasks calls a service, which
locks the row and checks again, so a task that runs twice does no harm."""

import logging
from datetime import date, timedelta

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from tickets import dashboard, selectors, services

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


def retry_delay(retries: int) -> int:
    """Exponential backoff: 30 s, 60 s, 120 s, ... at most 30 minutes."""
    return min(30 * 2**retries, 1800)


def _retry_or_give_up(task: Task, what: object) -> bool:
    if task.request.retries >= MAX_RETRIES:
        # The next run of the beat job picks the ticket (or day) up again if it still
        # qualifies.
        logger.exception("%s gave up on %s", task.name, what)
        return False
    raise task.retry(countdown=retry_delay(task.request.retries)) from None


@shared_task
def close_resolved_tickets() -> int:
    """Hourly: hand every ticket resolved long enough ago to close_resolved_ticket."""
    resolved_before = timezone.now() - timedelta(days=settings.TICKETS_AUTO_CLOSE_DAYS)
    ids = selectors.tickets_to_auto_close(resolved_before=resolved_before)
    for ticket_id in ids:
        close_resolved_ticket.delay(ticket_id)
    return len(ids)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def close_resolved_ticket(self: Task, ticket_id: int) -> bool:
    try:
        return services.ticket_auto_close(ticket_id=ticket_id)
    except Exception:
        return _retry_or_give_up(self, ticket_id)


@shared_task
def warn_of_coming_breaches() -> int:
    """Every few minutes: hand every assigned ticket whose answer falls due soon to
    warn_of_breach (its assignee is told), and those nobody is assigned to, together, to
    warn_agents_of_breaches (one email to each agent lists them all)."""
    within = timedelta(minutes=settings.TICKETS_BREACH_WARNING_MINUTES)
    assigned, unassigned = selectors.tickets_near_breach(now=timezone.now(), within=within)
    for ticket_id in assigned:
        warn_of_breach.delay(ticket_id)
    if unassigned:
        warn_agents_of_breaches.delay(unassigned)
    return len(assigned) + len(unassigned)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def warn_of_breach(self: Task, ticket_id: int) -> bool:
    try:
        return services.ticket_breach_warn(ticket_id=ticket_id)
    except Exception:
        return _retry_or_give_up(self, ticket_id)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def warn_agents_of_breaches(self: Task, ticket_ids: list[int]) -> int:
    try:
        return services.tickets_breach_warn_unassigned(ticket_ids=ticket_ids)
    except Exception:
        _retry_or_give_up(self, ticket_ids)
        return 0


@shared_task
def purge_pending_uploads() -> int:
    kept_for = timedelta(hours=settings.TICKETS_KEPT_UPLOAD_HOURS)
    return services.pending_uploads_purge(older_than=timezone.now() - kept_for)


@shared_task
def summarise_days() -> int:
    """Hourly: hand each past day the dashboard charts to summarise_day, so that the
    charts read summary rows and count only today live."""
    days = dashboard.days_to_summarise(now=timezone.now())
    for day in days:
        summarise_day.delay(day.isoformat())
    return len(days)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def summarise_day(self: Task, day: str) -> int:
    try:
        return services.day_figures_summarise(day=date.fromisoformat(day))
    except Exception:
        return _retry_or_give_up(self, day)
