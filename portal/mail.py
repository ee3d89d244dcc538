"""Templated email, rendered in the recipient's language and sent after commit.

A message is three templates: `<prefix>_subject.txt`, `<prefix>.txt` and, optionally,
`<prefix>.html`. Rendering happens in the request (so the language and the data are those
of the moment); the result is a row of the outbox, written in the transaction of the
change it reports and sent by a worker once that commits (outbox/).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from outbox.services import email_queue

_dropped: ContextVar[bool] = ContextVar("portal_mail_dropped", default=False)


@contextmanager
def emails_dropped() -> Iterator[None]:
    """Queue no email from inside the block: for work whose notifications are news to
    nobody (the demo data). No outbox row is written, so no worker can send them."""
    token = _dropped.set(True)
    try:
        yield
    finally:
        _dropped.reset(token)


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
    *,
    to: str,
    template_prefix: str,
    context: dict,
    language: str | None = None,
    headers: dict[str, str] | None = None,
    reply_to: str = "",
    user_id: int | None = None,
) -> None:
    """Queue one email to `to`. Call it inside the transaction of the change it reports.

    Mail about a login goes through `email_user`; this is for the few messages that are
    not (a confirmation link to an address not yet registered, staff alerts)."""
    if _dropped.get():
        return
    subject, text, html = render_email(template_prefix, context, language)
    email_queue(
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        reply_to=reply_to,
        template=template_prefix,
        user_id=user_id,
    )


def email_user(
    user, template_prefix: str, *, headers: dict | None = None, reply_to: str = "", **context
) -> None:
    """Queue one email to the login's registered address, in the login's language: the
    only address the portal writes to about an account (seed 002). `headers` and
    `reply_to` thread it (a request's notifications carry its reply address)."""
    send_templated_email(
        to=user.email,
        template_prefix=template_prefix,
        context={"user": user, **context},
        language=user.language,
        headers=headers,
        reply_to=reply_to,
        user_id=user.pk,
    )


def email_nobody(user, template_prefix: str, **context) -> None:
    """Render and queue the email `email_user` would, addressed to nobody: the worker
    deletes it unsent. For a login that does not exist (an unsaved stand-in for an address
    without one), so that a form answers an unknown address with the same work, and in
    the same time, as a known one."""
    send_templated_email(
        to="",
        template_prefix=template_prefix,
        context={"user": user, **context},
        language=user.language,
    )
