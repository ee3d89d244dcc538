"""Templated email, rendered in the recipient's language and sent after commit.

A message is three templates: `<prefix>_subject.txt`, `<prefix>.txt` and, optionally,
`<prefix>.html`. Rendering happens in the request (so the language and the data are those
of the moment); delivery happens in a Celery task enqueued when the transaction commits,
which retries when the mail server is unreachable.
"""

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template_prefix: str, context: dict, language: str | None) -> tuple[str, str, str]:
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        subject = " ".join(subject.split())
        text = render_to_string(f"{template_prefix}.txt", context)
        try:
            html = render_to_string(f"{template_prefix}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def send_templated_email(
    *, to: str, template_prefix: str, context: dict, language: str | None = None
) -> None:
    """Queue one email to `to`. Call it inside the transaction of the change it reports."""
    from portal.tasks import send_email

    subject, text, html = render_email(template_prefix, context, language)
    transaction.on_commit(lambda: send_email.delay(to=to, subject=subject, text=text, html=html))
