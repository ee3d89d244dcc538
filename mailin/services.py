"""Every write of the email channel: storing a fetched email, processing the stored copy
into a request (or a refusal), and the staff's retry and "assign to customer".

Processing reads only the stored copy, locks its row and checks its status first, so a
task that runs twice, or again after a crash, adds nothing twice: a crash rolls the whole
transaction back and leaves the row waiting to be processed."""

import hashlib
import logging
import uuid
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from mailin import addressing, parsing
from mailin.models import InboundEmail, RefusalReply
from outbox.services import email_queue
from portal.mail import email_user, render_email
from tickets import selectors as ticket_selectors
from tickets import services as ticket_services
from tickets.attachments import CheckedFile, check_upload
from tickets.models import (
    Category,
    Channel,
    Priority,
    Ticket,
    TicketEvent,
    TicketMessage,
    private_storage,
)

logger = logging.getLogger(__name__)

Status = InboundEmail.Status
EMAIL_CATEGORY = "Email"
# Auto-Submitted on everything the channel itself sends, so that well-behaved
# auto-responders stay silent (RFC 3834); the once-a-day limit ends the rest.
AUTO_REPLY_HEADERS = {"Auto-Submitted": "auto-replied"}


def _now() -> datetime:
    return timezone.now()


def _header_message_id(raw: bytes, digest: str) -> tuple[str, str, str]:
    headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
    message_id = str(headers.get("Message-ID", "")).strip()[:998] or f"<{digest}@no-message-id>"
    sender = parseaddr(str(headers.get("From", "")))[1].strip().lower()[:254]
    subject = " ".join(str(headers.get("Subject", "")).split())[:255]
    return message_id, sender, subject


def inbound_email_store(*, raw: bytes, mailbox: str) -> InboundEmail | None:
    """Keep a fetched email as it came; None when it was stored before (the same
    Message-ID or the same bytes), as happens with a duplicate delivery or a fetch that
    stopped before moving the message out of the inbox."""
    digest = hashlib.sha256(raw).hexdigest()
    message_id, sender, subject = _header_message_id(raw, digest)
    known = Q(message_id=message_id) | Q(content_hash=digest)
    if InboundEmail.objects.filter(known).exists():
        return None
    inbound = InboundEmail(
        mailbox=mailbox[:200],
        message_id=message_id,
        content_hash=digest,
        sender=sender,
        subject=subject,
    )
    inbound.raw.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            inbound.save()
    except IntegrityError:
        # Stored meanwhile by another fetch of the same mailbox.
        private_storage.delete(inbound.raw.name)
        return None
    return inbound


@transaction.atomic
def inbound_email_process(*, inbound_id: int) -> str:
    """Turn a stored email into a message of a request, a new request, or a refusal;
    returns the status it ends in ("" when it was not waiting to be processed)."""
    inbound = (
        InboundEmail.objects.select_for_update()
        .filter(pk=inbound_id, status=Status.RECEIVED)
        .first()
    )
    if inbound is None:
        return ""
    _process(inbound=inbound, as_user=None)
    return inbound.status


@transaction.atomic
def inbound_email_fail(*, inbound_id: int, reason: str) -> None:
    """Record that processing gave up, for staff to see and retry."""
    InboundEmail.objects.filter(pk=inbound_id, status=Status.RECEIVED).update(
        status=Status.FAILED, reason=reason[:2000], processed_at=_now()
    )


@transaction.atomic
def inbound_email_retry(*, inbound: InboundEmail, acting_user: User) -> str:
    """Staff process a failed email again."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.status != Status.FAILED:
        return inbound.status
    logger.info("%s retries inbound email %s", acting_user, inbound.pk)
    _process(inbound=inbound, as_user=None)
    return inbound.status


@transaction.atomic
def inbound_email_assign(*, inbound: InboundEmail, acting_user: User, customer_user: User) -> str:
    """Staff recognise the sender of a refused email as one of a customer's logins: it is
    processed as if that login had sent it, and who decided so is recorded."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.status != Status.REFUSED or customer_user.customer_id is None:
        return inbound.status
    inbound.assigned_by = acting_user
    inbound.assigned_to = customer_user
    inbound.assigned_at = _now()
    _process(inbound=inbound, as_user=customer_user)
    return inbound.status


def _finish(
    inbound: InboundEmail, status: str, reason: str = "", ticket: Ticket | None = None
) -> None:
    inbound.status = status
    inbound.reason = reason
    inbound.ticket = ticket
    inbound.processed_at = _now()
    inbound.save()


def _own_address(address: str) -> bool:
    domain = addressing.reply_domain()
    own = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    return address == own or bool(domain) and address.endswith(f"@{domain}")


def _throttled(inbound: InboundEmail) -> bool:
    since = _now() - timedelta(hours=1)
    earlier = InboundEmail.objects.filter(
        sender__iexact=inbound.sender, received_at__gte=since, pk__lt=inbound.pk
    ).exclude(status=Status.THROTTLED)
    return earlier.count() >= settings.INBOUND_MAX_PER_SENDER_PER_HOUR


def _reference(parsed: parsing.ParsedEmail) -> str | None:
    """The request the email points to, in order of trust: our signed reply address,
    our Message-IDs in In-Reply-To/References, then the reference in the subject."""
    for address in parsed.recipients:
        reference = addressing.reference_from_address(address)
        if reference:
            return reference
    return addressing.reference_from_message_ids(
        parsed.in_reply_to
    ) or addressing.reference_from_subject(parsed.subject)


def _process(*, inbound: InboundEmail, as_user: User | None) -> None:
    with inbound.raw.open("rb") as handle:
        parsed = parsing.parse(handle.read())
    sender = parsed.sender
    if parsed.is_bounce:
        # Staff see which address bounced, here and on the login; nobody is answered.
        if parsed.bounced_recipient:
            User.objects.filter(email__iexact=parsed.bounced_recipient).update(
                email_bounced_at=timezone.now()
            )
        _finish(inbound, Status.BOUNCE, gettext("Undeliverable: %s") % parsed.bounced_recipient)
        return
    if parsed.is_automatic or not sender or _own_address(sender):
        _finish(inbound, Status.IGNORED, gettext("Automatic email: not answered."))
        return
    if as_user is None and _throttled(inbound):
        _finish(inbound, Status.THROTTLED, gettext("Too many emails from this sender."))
        return
    user = as_user or User.objects.filter(email__iexact=sender, is_active=True).first()
    reference = _reference(parsed)
    if user is None or user.customer_id is None:
        _refuse(inbound, sender, gettext("The sender is not a registered address."), user)
        return
    ticket = None
    if reference:
        ticket = ticket_selectors.tickets_visible_to(user).filter(reference=reference).first()
        if ticket is None:
            reason = gettext("The sender may not see %s.") % reference
            _refuse(inbound, sender, reason, user)
            return
    checked, refused_files = _check_files(parsed.files)
    body = parsed.text or gettext("(no text)")
    if ticket is not None and ticket.status != Ticket.Status.CLOSED:
        message = ticket_services.ticket_reply_as_customer(
            ticket=ticket, author=user, body=body, files=checked
        )
        _notify_agents(ticket=message.ticket, message=message)
    else:
        ticket = ticket_services.ticket_create(
            requester=user,
            subject=(parsed.subject or gettext("Request by email"))[:200],
            description=body,
            category=_email_category(),
            priority=Priority.NORMAL,
            files=checked,
            channel=Channel.EMAIL,
        )
        inbound.opened_ticket = True
    if refused_files:
        _note_refused_files(ticket=ticket, author=user, refused=refused_files)
    _finish(inbound, Status.PROCESSED, ticket=ticket)


def _email_category() -> Category:
    category = Category.objects.filter(name=EMAIL_CATEGORY).first()
    return category or Category.objects.create(name=EMAIL_CATEGORY, is_active=False)


def _check_files(files: list[parsing.EmailFile]) -> tuple[list[CheckedFile], list[str]]:
    """The files that pass the uploads' checks, and why each of the others did not."""
    checked, refused = [], []
    limit = settings.TICKETS_ATTACHMENTS_PER_MESSAGE
    for email_file in files:
        if len(checked) >= limit:
            refused.append(
                ngettext(
                    "%(name)s: at most %(limit)d file is accepted with one message.",
                    "%(name)s: at most %(limit)d files are accepted with one message.",
                    limit,
                )
                % {"name": email_file.name, "limit": limit}
            )
            continue
        try:
            checked.append(check_upload(ContentFile(email_file.content, name=email_file.name)))
        except ValidationError as error:
            refused.extend(error.messages)
    return checked, refused


def _note_refused_files(*, ticket: Ticket, author: User, refused: list[str]) -> None:
    text = "\n".join([gettext("Attachments of the email that were not accepted:"), *refused])
    TicketMessage.objects.create(ticket=ticket, author=author, body=text, is_internal=True)
    TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.NOTE_ADDED, actor=author)


def _notify_agents(*, ticket: Ticket, message: TicketMessage) -> None:
    agents = (
        [ticket.assignee]
        if ticket.assignee is not None and ticket.assignee.is_active
        else list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    )
    link = f"{settings.SITE_URL}{reverse('admin:tickets_ticket_change', args=[ticket.pk])}"
    for agent in agents:
        email_user(
            agent, "mailin/email/customer_replied", ticket=ticket, message=message, link=link
        )


def _refuse(inbound: InboundEmail, sender: str, reason: str, user: User | None) -> None:
    _finish(inbound, Status.REFUSED, reason)
    today = timezone.localdate(_now())
    if RefusalReply.objects.filter(sender__iexact=sender, day=today).exists():
        return
    try:
        with transaction.atomic():
            RefusalReply.objects.create(sender=sender, day=today)
    except IntegrityError:
        return
    languages = [user.language] if user is not None and user.language else ["en", "el"]
    parts = [
        render_email("mailin/email/refusal", {"portal_url": settings.SITE_URL}, language)
        for language in languages
    ]
    subject = " / ".join(dict.fromkeys(subject for subject, _text, _html in parts))
    text = "\n\n----\n\n".join(text for _subject, text, _html in parts)
    email_queue(
        to=sender,
        subject=subject,
        text=text,
        headers=AUTO_REPLY_HEADERS,
        template="mailin/email/refusal",
        user_id=user.pk if user is not None else None,
    )
