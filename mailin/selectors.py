"""Reads of the email channel."""

from datetime import datetime

from mailin.models import InboundEmail


def inbound_emails_waiting(*, received_before: datetime) -> list[int]:
    """Stored emails that no task finished processing: a worker died, or the broker lost
    the task. The beat job hands them to processing again."""
    return list(
        InboundEmail.objects.filter(
            status=InboundEmail.Status.RECEIVED, received_at__lt=received_before
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
