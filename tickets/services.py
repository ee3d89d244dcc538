"""Every write to tickets: one transaction each, a TicketEvent naming the acting user,
notifications queued on commit to the login's registered address only (seed 002)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import Customer, User
from mailin.addressing import notification_headers
from portal.mail import email_user
from tickets import dashboard, selectors
from tickets.attachments import ALLOWED_TYPES, CheckedFile, make_thumbnail
from tickets.models import (
    Attachment,
    Category,
    Channel,
    DayFigures,
    PendingUpload,
    Priority,
    ReferenceCounter,
    Ticket,
    TicketEvent,
    TicketMessage,
    private_storage,
)
from tickets.sla import ATHENS


class TicketNotOpen(Exception):
    """The ticket is closed (or not resolved, for a reopen): the action does not apply."""


def _now() -> datetime:
    return timezone.now()


def _record(
    *, ticket: Ticket, kind: str, actor: User | None, old: object = "", new: object = ""
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=actor, old_value=str(old)[:200], new_value=str(new)[:200]
    )


def ticket_url(ticket: Ticket) -> str:
    return f"{settings.SITE_URL}{reverse('tickets:detail', args=[ticket.reference])}"


def _notify_requester(*, ticket: Ticket, template: str, **context: object) -> None:
    requester = ticket.requester
    if not requester.is_active:
        return
    # Threaded by reference; replies to the signed Reply-To join the request by email.
    headers, reply_to = notification_headers(ticket.reference, first=template == "created")
    email_user(
        requester,
        f"tickets/email/{template}",
        headers=headers,
        reply_to=reply_to,
        ticket=ticket,
        link=ticket_url(ticket),
        auto_close_days=settings.TICKETS_AUTO_CLOSE_DAYS,
        **context,
    )


def _next_reference(at: datetime) -> str:
    """T-<two-digit year>-<number>, numbered per year in Athens time. The counter row stays
    locked by the UPDATE until the ticket's transaction commits."""
    year = at.astimezone(ATHENS).year
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ReferenceCounter.objects.get(year=year).last_number
    return f"T-{year % 100:02d}-{number:05d}"


def _start_clock(ticket: Ticket, at: datetime) -> None:
    policy = selectors.sla_policy_for(
        plan=ticket.customer.plan, priority=ticket.priority, channel=ticket.channel
    )
    ticket.awaiting_response_since = at
    ticket.response_due_at = selectors.sla_calendar(policy.calendar).due(at, policy.response_target)


def _stop_clock(ticket: Ticket) -> None:
    ticket.awaiting_response_since = None
    ticket.response_due_at = None


def _store_attachment(
    *, ticket: Ticket, message: TicketMessage, checked: CheckedFile
) -> Attachment:
    # Stored under a random name with the extension of the detected type, so nothing the
    # uploader typed ever reaches the file system.
    stem = uuid.uuid4().hex
    extension = sorted(ALLOWED_TYPES[checked.content_type])[0]
    attachment = Attachment(
        ticket=ticket,
        message=message,
        name=checked.name[:255],
        content_type=checked.content_type,
        size=checked.size,
    )
    attachment.file.save(f"{stem}.{extension}", checked.file, save=False)
    if checked.is_image:
        thumbnail = make_thumbnail(checked.file)
        if thumbnail is not None:
            attachment.thumbnail.save(f"{stem}-thumb.png", thumbnail, save=False)
    attachment.save()
    return attachment


def _attach(
    *,
    ticket: Ticket,
    message: TicketMessage,
    files: Sequence[CheckedFile],
    pending_uploads: Sequence[PendingUpload],
) -> list[Attachment]:
    attachments = [_store_attachment(ticket=ticket, message=message, checked=f) for f in files]
    for pending in pending_uploads:
        with pending.file.open("rb") as handle:
            checked = CheckedFile(
                name=pending.name, content_type=pending.content_type, size=pending.size, file=handle
            )
            attachments.append(_store_attachment(ticket=ticket, message=message, checked=checked))
        stored_name = pending.file.name
        pending.delete()
        transaction.on_commit(lambda name=stored_name: private_storage.delete(name))
    return attachments


def _record_response_outcome(*, ticket: Ticket, actor: User, at: datetime) -> bool:
    """Record whether the wait the clock measured ended in time; True when it did."""
    met = at <= ticket.response_due_at
    ticket.sla_breached = ticket.sla_breached or not met
    kind = TicketEvent.Kind.SLA_MET if met else TicketEvent.Kind.SLA_BREACHED
    _record(ticket=ticket, kind=kind, actor=actor, old=ticket.response_due_at.isoformat())
    return met


def _change_status(*, ticket: Ticket, status: str, actor: User | None, at: datetime) -> bool:
    if ticket.status == status:
        return False
    old = ticket.status
    ticket.status = status
    if status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED, Ticket.Status.WAITING):
        if actor is not None and actor.is_staff and ticket.response_due_at is not None:
            # An agent who resolves or parks a ticket without writing has still ended the
            # wait: judge it then, so that a silent status change cannot hide a breach.
            _record_response_outcome(ticket=ticket, actor=actor, at=at)
        _stop_clock(ticket)
    if status == Ticket.Status.RESOLVED:
        ticket.resolved_at = at
    if status == Ticket.Status.CLOSED:
        ticket.closed_at = at
    if status in Ticket.ACTIVE_STATUSES:
        ticket.resolved_at = None
        ticket.closed_at = None
    _record(ticket=ticket, kind=TicketEvent.Kind.STATUS_CHANGED, actor=actor, old=old, new=status)
    return True


@transaction.atomic
def ticket_create(
    *,
    requester: User,
    subject: str,
    description: str,
    category: Category,
    priority: int,
    browser: str = "",
    device: str = "",
    files: Sequence[CheckedFile] = (),
    pending_uploads: Sequence[PendingUpload] = (),
    channel: str = Channel.PORTAL,
) -> Ticket:
    """Open a ticket for the requester's customer, start its SLA clock (the policy of the
    channel it came through) and confirm it by email with the reference number."""
    if requester.customer_id is None:
        raise ValueError("Only a customer's login can open a ticket.")
    now = _now()
    ticket = Ticket(
        reference=_next_reference(now),
        customer=requester.customer,
        requester=requester,
        subject=subject,
        category=category,
        priority=priority,
        browser=browser,
        device=device,
        channel=channel,
        status=Ticket.Status.NEW,
        updated_at=now,
    )
    _start_clock(ticket, now)
    ticket.save()
    message = TicketMessage.objects.create(ticket=ticket, author=requester, body=description)
    _attach(ticket=ticket, message=message, files=files, pending_uploads=pending_uploads)
    _record(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=requester, new=ticket.reference)
    _notify_requester(ticket=ticket, template="created", message=message)
    return ticket


@transaction.atomic
def ticket_reply_as_customer(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    files: Sequence[CheckedFile] = (),
    pending_uploads: Sequence[PendingUpload] = (),
) -> TicketMessage:
    """Add the customer's message. A resolved or waiting ticket opens again, and the clock
    starts unless it already runs for an earlier unanswered message."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("customer").get(pk=ticket.pk)
    )
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketNotOpen(ticket.reference)
    now = _now()
    message = TicketMessage.objects.create(ticket=ticket, author=author, body=body)
    _attach(ticket=ticket, message=message, files=files, pending_uploads=pending_uploads)
    _record(ticket=ticket, kind=TicketEvent.Kind.CUSTOMER_REPLIED, actor=author)
    if ticket.status in (Ticket.Status.WAITING, Ticket.Status.RESOLVED):
        _change_status(ticket=ticket, status=Ticket.Status.OPEN, actor=author, at=now)
    if ticket.response_due_at is None:
        _start_clock(ticket, now)
    ticket.updated_at = now
    ticket.save()
    return message


@transaction.atomic
def ticket_reply_as_agent(
    *,
    ticket: Ticket,
    agent: User,
    body: str,
    internal: bool = False,
    status: str | None = None,
    files: Sequence[CheckedFile] = (),
    pending_uploads: Sequence[PendingUpload] = (),
) -> TicketMessage:
    """Answer the customer (emailed to them) or add an internal note (never shown or sent
    to the customer). An answer stops the clock and records whether it came in time; the
    ticket then waits on the customer unless another status is chosen."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "requester")
        .get(pk=ticket.pk)
    )
    if ticket.status == Ticket.Status.CLOSED:
        # An agent reopens a closed request first, which its history records.
        raise TicketNotOpen(ticket.reference)
    now = _now()
    message = TicketMessage(
        ticket=ticket, author=agent, body=body, from_staff=True, is_internal=internal
    )
    if internal:
        message.save()
        _record(ticket=ticket, kind=TicketEvent.Kind.NOTE_ADDED, actor=agent)
    else:
        if ticket.response_due_at is not None:
            message.sla_met = _record_response_outcome(ticket=ticket, actor=agent, at=now)
            _stop_clock(ticket)
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        message.save()
        _record(ticket=ticket, kind=TicketEvent.Kind.REPLIED, actor=agent)
        ticket.updated_at = now
        if status is None and ticket.status in (Ticket.Status.NEW, Ticket.Status.OPEN):
            status = Ticket.Status.WAITING
    attachments = _attach(
        ticket=ticket, message=message, files=files, pending_uploads=pending_uploads
    )
    changed = bool(status) and _change_status(ticket=ticket, status=status, actor=agent, at=now)
    if changed:
        ticket.updated_at = now
    ticket.save()
    if not internal:
        _notify_requester(ticket=ticket, template="reply", message=message, attachments=attachments)
    elif changed:
        _notify_requester(ticket=ticket, template="status")
    return message


@transaction.atomic
def ticket_system_message_add(
    *, ticket: Ticket, actor: User, body: str, event_value: str
) -> TicketMessage:
    """A message in the thread that the customer sees, written by the portal for an agent
    (an action done by phone). It answers nothing, so the SLA clock is left alone."""
    message = TicketMessage.objects.create(
        ticket=ticket, author=actor, body=body, from_staff=True, is_system=True
    )
    _record(ticket=ticket, kind=TicketEvent.Kind.PHONE_ACTION, actor=actor, new=event_value)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=_now())
    return message


@transaction.atomic
def ticket_status_change(*, ticket: Ticket, acting_user: User, status: str) -> Ticket:
    """An agent sets the status; the customer is told."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("requester").get(pk=ticket.pk)
    )
    now = _now()
    if _change_status(ticket=ticket, status=status, actor=acting_user, at=now):
        ticket.updated_at = now
        ticket.save()
        _notify_requester(ticket=ticket, template="status")
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, acting_user: User) -> Ticket:
    """The customer closes their request: nothing more is owed."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    now = _now()
    if _change_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=acting_user, at=now):
        ticket.updated_at = now
        ticket.save()
    return ticket


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, acting_user: User) -> Ticket:
    """The customer says a resolved request is not solved: it opens and the clock runs."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("customer").get(pk=ticket.pk)
    )
    if ticket.status != Ticket.Status.RESOLVED:
        raise TicketNotOpen(ticket.reference)
    now = _now()
    _change_status(ticket=ticket, status=Ticket.Status.OPEN, actor=acting_user, at=now)
    _start_clock(ticket, now)
    ticket.updated_at = now
    ticket.save()
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, acting_user: User, assignee: User | None) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=ticket.pk)
    )
    if ticket.assignee_id != (assignee.pk if assignee else None):
        _record(
            ticket=ticket,
            kind=TicketEvent.Kind.ASSIGNEE_CHANGED,
            actor=acting_user,
            old=ticket.assignee or "",
            new=assignee or "",
        )
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee"])
    return ticket


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    acting_user: User,
    status: str,
    priority: int,
    category: Category,
    assignee: User | None,
) -> Ticket:
    """The agent's edit of a ticket in the admin: each change is an event. A new priority
    moves the due time of an answer that is owed, counted from when the wait began."""
    ticket_assign(ticket=ticket, acting_user=acting_user, assignee=assignee)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "category")
        .get(pk=ticket.pk)
    )
    if ticket.category_id != category.pk:
        _record(
            ticket=ticket,
            kind=TicketEvent.Kind.CATEGORY_CHANGED,
            actor=acting_user,
            # The stored name, translated when the history is shown in the reader's language.
            old=ticket.category.name,
            new=category.name,
        )
        ticket.category = category
    if ticket.priority != priority:
        _record(
            ticket=ticket,
            kind=TicketEvent.Kind.PRIORITY_CHANGED,
            actor=acting_user,
            old=ticket.priority,
            new=priority,
        )
        ticket.priority = priority
        if ticket.awaiting_response_since is not None:
            _start_clock(ticket, ticket.awaiting_response_since)
    ticket.save()
    if ticket.status != status:
        ticket = ticket_status_change(ticket=ticket, acting_user=acting_user, status=status)
    return ticket


@transaction.atomic
def ticket_auto_close(*, ticket_id: int) -> bool:
    """Close a ticket resolved long enough ago without an answer from the customer."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("requester")
        .filter(pk=ticket_id)
        .first()
    )
    now = _now()
    limit = now - timedelta(days=settings.TICKETS_AUTO_CLOSE_DAYS)
    if ticket is None or ticket.status != Ticket.Status.RESOLVED or ticket.resolved_at > limit:
        return False
    _change_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=None, at=now)
    ticket.updated_at = now
    ticket.save()
    _notify_requester(ticket=ticket, template="status")
    return True


@transaction.atomic
def ticket_breach_warn(*, ticket_id: int) -> bool:
    """Email the assignee (or, with nobody assigned, every active agent) that an answer
    is about to fall due; once per due time."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "assignee")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or ticket.response_due_at is None:
        return False
    if ticket.breach_warning_for == ticket.response_due_at:
        return False
    agents = (
        [ticket.assignee]
        if ticket.assignee is not None and ticket.assignee.is_active
        else list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    )
    link = f"{settings.SITE_URL}{reverse('admin:tickets_ticket_change', args=[ticket.pk])}"
    for agent in agents:
        email_user(agent, "tickets/email/breach_warning", ticket=ticket, link=link)
    ticket.breach_warning_for = ticket.response_due_at
    ticket.save(update_fields=["breach_warning_for"])
    _record(ticket=ticket, kind=TicketEvent.Kind.BREACH_WARNED, actor=None, new=len(agents))
    return True


@transaction.atomic
def tickets_breach_warn_unassigned(*, ticket_ids: Sequence[int]) -> int:
    """Warn every active agent, in one email each, of the tickets nobody is assigned to
    whose answers fall due soon: in an outage there are many at once, and one email per
    ticket and agent would bury the agents (and the mail server). Once per due time, as
    ticket_breach_warn. Returns the number of tickets in the warning."""
    tickets = list(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk__in=ticket_ids, response_due_at__isnull=False, assignee__isnull=True)
        .exclude(breach_warning_for=F("response_due_at"))
        .order_by("response_due_at", "pk")
    )
    if not tickets:
        return 0
    agents = list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    site = settings.SITE_URL
    warned = [
        (ticket, f"{site}{reverse('admin:tickets_ticket_change', args=[ticket.pk])}")
        for ticket in tickets
    ]
    queue = f"{site}{reverse('admin:tickets_ticket_changelist')}?view=unassigned"
    for agent in agents:
        email_user(agent, "tickets/email/breach_digest", warned=warned, queue=queue)
    for ticket in tickets:
        ticket.breach_warning_for = ticket.response_due_at
        ticket.save(update_fields=["breach_warning_for"])
        _record(ticket=ticket, kind=TicketEvent.Kind.BREACH_WARNED, actor=None, new=len(agents))
    return len(tickets)


@dataclass(frozen=True)
class KeptFiles:
    kept: list[PendingUpload]
    # Files past the login's quota of kept files, which must be chosen again.
    not_kept: list[CheckedFile]


@transaction.atomic
def pending_upload_store(*, owner: User, files: Sequence[CheckedFile]) -> KeptFiles:
    """Keep files that passed the checks while the rest of their form is corrected, up to
    TICKETS_KEPT_UPLOAD_MAX_BYTES per login at once (counting the files it already has
    kept), so that nobody can park unlimited files on the server."""
    # One request of the login at a time here, so two cannot both fit under the quota.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    kept_since = _now() - timedelta(hours=settings.TICKETS_KEPT_UPLOAD_HOURS)
    room = settings.TICKETS_KEPT_UPLOAD_MAX_BYTES - selectors.kept_upload_bytes(
        owner=owner, since=kept_since
    )
    kept, not_kept = [], []
    for checked in files:
        if checked.size > room:
            not_kept.append(checked)
            continue
        pending = PendingUpload(
            owner=owner,
            name=checked.name[:255],
            content_type=checked.content_type,
            size=checked.size,
        )
        extension = sorted(ALLOWED_TYPES[checked.content_type])[0]
        pending.file.save(f"{uuid.uuid4().hex}.{extension}", checked.file, save=False)
        pending.save()
        kept.append(pending)
        room -= checked.size
    return KeptFiles(kept=kept, not_kept=not_kept)


@transaction.atomic
def pending_uploads_purge(*, older_than: datetime) -> int:
    """Remove kept files of forms that were never sent."""
    stale = list(PendingUpload.objects.filter(created_at__lt=older_than))
    PendingUpload.objects.filter(pk__in=[pending.pk for pending in stale]).delete()
    # The files go once the rows are gone for good, so no row ever points to a missing file.
    for pending in stale:
        transaction.on_commit(lambda name=pending.file.name: private_storage.delete(name))
    return len(stale)


@transaction.atomic
def day_figures_summarise(*, day: date) -> int:
    """Count one past Athens day's figures again from the tickets and messages, and keep
    them as that day's summary rows for the dashboard (one per plan and priority, zeros
    included, so that a summarised day is told from one that is not). Derived data that
    nobody edits: no history is recorded. Returns the rows written."""
    start = dashboard.midnight(day)
    counted = dashboard.figures_between(start, dashboard.midnight(day + timedelta(days=1)))
    computed_at = _now()
    DayFigures.objects.filter(day=day).delete()
    rows = DayFigures.objects.bulk_create(
        [
            DayFigures(
                day=day,
                plan=plan,
                priority=priority,
                computed_at=computed_at,
                **vars(counted.get((day, plan, priority), dashboard.Figures())),
            )
            for plan in Customer.Plan.values
            for priority in Priority.values
        ]
    )
    return len(rows)
