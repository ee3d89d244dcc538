"""Email sending as it was before the outbox, kept for messages already in a broker when
the portal is upgraded, and for the few emails written outside any transaction that
commits (an alert about a refused request): the worker stores the email in the outbox
and sends it from there."""

from celery import shared_task

from outbox.services import email_deliver, email_queue


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
