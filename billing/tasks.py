"""Beat job of the billing data."""

from celery import shared_task
from django.utils import timezone

from billing import services


@shared_task
def maintain_call_record_partitions() -> dict[str, list[str]]:
    """Daily: make the coming months of call records, drop those no longer kept."""
    return services.call_record_partitions_maintain(now=timezone.now())
