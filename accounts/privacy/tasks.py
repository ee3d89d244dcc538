"""Beat jobs and the export task of accounts.privacy. The beat jobs fan out one task per
object; each task calls a service that locks the row and checks again."""

import logging

from celery import Task, shared_task
from django.utils import timezone

from accounts.privacy import services

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES)
def build_data_export(self: Task, export_id: int) -> bool:
    """Build an export. acks_late: a worker that dies mid-way leaves the message to be
    delivered again, and the ZIP is rebuilt from the start."""
    try:
        return services.data_export_build(export_id=export_id)
    except Exception:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Data export %s failed", export_id)
            services.data_export_fail(export_id=export_id)
            return False
        raise self.retry(countdown=60 * 2**self.request.retries) from None


@shared_task
def expire_data_exports() -> int:
    ids = services.exports_due_for_expiry(timezone.now())
    for export_id in ids:
        expire_data_export.delay(export_id)
    return len(ids)


@shared_task
def expire_data_export(export_id: int) -> bool:
    return services.data_export_expire(export_id=export_id)


@shared_task
def purge_closed_customers() -> int:
    ids = services.customers_due_for_purge(timezone.now())
    for customer_id in ids:
        purge_closed_customer.delay(customer_id)
    return len(ids)


@shared_task
def purge_closed_customer(customer_id: int) -> bool:
    return services.customer_purge(customer_id=customer_id)
