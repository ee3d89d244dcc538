"""Email delivery, retried while the mail server is unreachable or answers "try later"."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives


class TransientMailError(Exception):
    """The mail server could not take the message now; a later try may succeed."""


def _is_transient(error: Exception) -> bool:
    # 4xx replies mean "try again later"; 5xx ones (unknown recipient, rejected message) will
    # be refused again however often we retry.
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | OSError)


@shared_task(
    autoretry_for=(TransientMailError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
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
        # Queued by portal.mail.email_nobody only to take as long as a real email.
        return
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if _is_transient(error):
            raise TransientMailError(str(error)) from error
        raise
