"""Reads of tickets, each with the joins that keep its query count constant."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)

from accounts.models import Customer, User
from portal.paging import page_of, prepared_page_of, with_whole_count
from portal.prepared import PreparedQuery
from portal.rows import ID_RANGE
from supportpin.selectors import verified_now_subquery
from tickets import sla
from tickets.models import (
    Attachment,
    CalendarException,
    CannedReply,
    Category,
    Channel,
    PendingUpload,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketMessage,
)

# Used when a supervisor has deleted the policy of a plan and priority: the plainest promise.
_FALLBACK_RESPONSE_HOURS = Decimal(24)


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """The tickets a customer's login may see: all of the customer's for an owner or a
    member allowed to, otherwise the ones the login opened. Nothing for anyone else."""
    if not user.is_authenticated or user.customer_id is None:
        return Ticket.objects.none()
    if user.has_customer_permission("can_view_all_tickets"):
        return Ticket.objects.filter(customer_id=user.customer_id)
    return Ticket.objects.filter(customer_id=user.customer_id, requester=user)


def _visibility(user: User) -> tuple[bool, dict[str, int | str]] | None:
    """tickets_visible_to's rule for a prepared statement (portal.prepared): whether the
    login sees all of its customer's tickets (the statement's shape) and the ids it
    filters by; None for a login that sees none."""
    if not user.is_authenticated or user.customer_id is None:
        return None
    if user.has_customer_permission("can_view_all_tickets"):
        return True, {"customer_id": user.customer_id}
    return False, {"customer_id": user.customer_id, "requester_id": user.pk}


def _visible_statement(sees_all: bool, values: dict[str, int | str]) -> QuerySet[Ticket]:
    """tickets_visible_to's queryset for _visibility's shape and values."""
    tickets = Ticket.objects.filter(customer_id=values["customer_id"])
    if not sees_all:
        tickets = tickets.filter(requester_id=values["requester_id"])
    return tickets


# The columns of "My requests": what ticket_list.html shows of each row.
CUSTOMER_LIST_FIELDS = (
    "reference",
    "subject",
    "status",
    "priority",
    "updated_at",
    "customer_id",
    "category__name",
    "requester__full_name",
    "requester__username",
    "requester__erased_at",
)


# The columns the customer's request page shows (ticket_detail.html and its includes), and
# the customer's plan for the promise (a ticket row has some 25, its customer and its
# requester 60 more).
CUSTOMER_PAGE_FIELDS = (
    "reference",
    "subject",
    "status",
    "priority",
    "channel",
    "created_at",
    "browser",
    "device",
    "customer__plan",
    "category__name",
    "requester__full_name",
    "requester__username",
    "requester__erased_at",
)


def customer_ticket_page(*, user: User) -> QuerySet[Ticket]:
    """The tickets `user` sees, as their page shows them: only the columns it reads (a
    change to the ticket reads it in full: tickets.views._visible_ticket)."""
    return _customer_page_columns(tickets_visible_to(user))


def _customer_page_columns(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.select_related("category", "customer", "requester").only(*CUSTOMER_PAGE_FIELDS)


def _customer_page_statement(sees_all: bool, **values: int | str) -> QuerySet[Ticket]:
    tickets = _visible_statement(sees_all, values).filter(reference=values["reference"])
    # The promise the page shows (sla_policy_for's, the portal's policy), in the same read.
    policy = SlaPolicy.objects.filter(
        plan=OuterRef("customer__plan"), priority=OuterRef("priority"), channel=Channel.PORTAL
    )
    return _customer_page_columns(tickets).annotate(
        promise_hours=Subquery(policy.values("response_hours")),
        promise_calendar=Subquery(policy.values("calendar")),
    )


_CUSTOMER_PAGE = PreparedQuery(_customer_page_statement, planned_once=True)


def customer_ticket_on_page(*, user: User, reference: str) -> Ticket | None:
    """The ticket `reference` as `customer_ticket_page(user=user)` reads it, if `user`
    sees it; from a statement prepared once (portal.prepared)."""
    visibility = _visibility(user)
    if visibility is None:
        return None
    sees_all, values = visibility
    found = _CUSTOMER_PAGE.fetch(sees_all, reference=reference, **values)
    return found[0] if found else None


def customer_ticket_promise(ticket: Ticket) -> SlaPolicy:
    """`sla_policy_for(plan=..., priority=...)` of a ticket read by customer_ticket_on_page,
    from the columns that read brought."""
    if ticket.promise_hours is None:
        return SlaPolicy(
            plan=ticket.customer.plan,
            priority=ticket.priority,
            response_hours=_FALLBACK_RESPONSE_HOURS,
        )
    return SlaPolicy(
        plan=ticket.customer.plan,
        priority=ticket.priority,
        channel=Channel.PORTAL,
        response_hours=ticket.promise_hours,
        calendar=ticket.promise_calendar,
    )


def customer_ticket_list(*, user: User, status: str = "", search: str = "") -> QuerySet[Ticket]:
    """A customer's "My requests": open ones first, then the most recently updated. Only
    the columns the list shows are read (a login row has some 30)."""
    if status != "active" and status not in Ticket.Status.values:
        status = ""
    tickets = _customer_list_filtered(tickets_visible_to(user), status)
    search = search.strip()
    if search:
        tickets = tickets.filter(Q(reference__iexact=search) | Q(subject__icontains=search))
    return tickets


def _customer_list_filtered(tickets: QuerySet[Ticket], status: str) -> QuerySet[Ticket]:
    """`status`: "" for all, "active", or one status."""
    tickets = tickets.select_related("category", "requester").only(*CUSTOMER_LIST_FIELDS)
    if status == "active":
        tickets = tickets.filter(status__in=Ticket.ACTIVE_STATUSES)
    elif status:
        tickets = tickets.filter(status=status)
    return tickets.annotate(
        closed_rank=Case(
            When(status__in=Ticket.ACTIVE_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("closed_rank", "-updated_at", "-id")


def _customer_list_statement(shape: tuple[bool, str], **values: int | str) -> QuerySet[Ticket]:
    sees_all, status = shape
    tickets = _visible_statement(sees_all, values)
    if status not in ("", "active"):
        status = values["status"]
    return with_whole_count(_customer_list_filtered(tickets, status))


_CUSTOMER_LIST = PreparedQuery(_customer_list_statement)


def customer_ticket_list_page(
    *, user: User, status: str = "", search: str = "", number: object, per_page: int
) -> Page:
    """The page of "My requests" `page_of(customer_ticket_list(...), number, per_page)`
    gives; without a search, from a statement prepared once (portal.prepared)."""
    visibility = _visibility(user)
    if search.strip() or visibility is None:
        return page_of(
            customer_ticket_list(user=user, status=status, search=search), number, per_page
        )
    sees_all, values = visibility
    if status in Ticket.Status.values:
        values["status"] = status
        shape = (sees_all, "one")
    else:
        shape = (sees_all, "active" if status == "active" else "")
    return prepared_page_of(
        _CUSTOMER_LIST,
        shape,
        values,
        lambda: customer_ticket_list(user=user, status=status),
        number,
        per_page,
    )


def _open_tickets_statement(sees_all: bool, **values: int | str) -> QuerySet[Ticket]:
    return (
        _visible_statement(sees_all, values)
        .filter(status__in=Ticket.ACTIVE_STATUSES)
        .only("reference", "subject", "status", "updated_at")
        .order_by("-updated_at", "-id")
    )


_OPEN_TICKETS = PreparedQuery(_open_tickets_statement)


def customer_open_tickets(*, user: User, limit: int = 5) -> list[Ticket]:
    """The most recently updated of the open tickets `user` sees (the dashboard's), with
    the columns the dashboard shows; from a statement prepared once (portal.prepared)."""
    visibility = _visibility(user)
    if visibility is None:
        return []
    sees_all, values = visibility
    return _OPEN_TICKETS.fetch(sees_all, limit=limit, **values)


def _thread_statement(include_internal: bool, *, ticket_id: int) -> QuerySet[TicketMessage]:
    messages = (
        TicketMessage.objects.filter(ticket_id=ticket_id)
        .select_related("author")
        .annotate(has_attachments=Exists(Attachment.objects.filter(message=OuterRef("pk"))))
    )
    if not include_internal:
        messages = messages.filter(is_internal=False)
    return messages


_THREAD = PreparedQuery(_thread_statement, planned_once=True)


def _agent_ticket_statement(shape: None, *, pk: int, now: datetime) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(pk=pk)
        .select_related("customer", "requester", "category", "assignee")
        .annotate(caller_verified_now=verified_now_subquery(OuterRef("requester"), now))
        .order_by()
    )


_AGENT_TICKET = PreparedQuery(_agent_ticket_statement, planned_once=True)


def agent_ticket(*, pk: int, now: datetime) -> Ticket | None:
    """The agent's ticket page's ticket, with its customer, requester, category and
    assignee, and whether the requester's caller is verified at `now`
    (`caller_verified_now`), from a statement prepared once (portal.prepared)."""
    if pk not in ID_RANGE:
        return None
    found = _AGENT_TICKET.fetch(pk=pk, now=now)
    return found[0] if found else None


def ticket_thread(*, ticket: Ticket, include_internal: bool) -> list[TicketMessage]:
    """The messages with their authors and attachments; the attachments are read only
    when a message has some (most threads have none): each message says whether it has,
    in the same query, so a message and its files are seen together."""
    messages = _THREAD.fetch(include_internal, ticket_id=ticket.pk)
    with_files = []
    # The messages without files get an empty list as their prefetched attachments: as
    # prefetch_related_objects would give with Attachment.objects.none(), which still
    # builds the query it does not run (about 2 ms for a thread of three).
    no_files = Attachment.objects.none()
    no_files._result_cache = []
    no_files._prefetch_done = True
    for message in messages:
        message.ticket = ticket  # as ticket.messages gives them
        if message.has_attachments:
            with_files.append(message)
        else:
            message._prefetched_objects_cache = {"attachments": no_files}
    prefetch_related_objects(
        with_files, Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    return messages


_CATEGORIES = PreparedQuery(lambda shape: Category.objects.all())


class EveryCategory:
    """`Category.objects.all()` in the model's order, read at each iteration from a
    statement prepared once (portal.prepared): the choices of a category select."""

    def __iter__(self) -> Iterator[Category]:
        return iter(_CATEGORIES.fetch())


_CANNED_REPLIES = PreparedQuery(lambda shape: CannedReply.objects.filter(is_active=True))


def canned_replies() -> list[CannedReply]:
    """The active canned replies (from a statement prepared once: portal.prepared)."""
    return _CANNED_REPLIES.fetch()


def replies_by_others_since(
    *, ticket: Ticket, seen_message_id: int, agent: User
) -> list[TicketMessage]:
    """Replies to the customer another agent sent after the message `agent` saw last."""
    return list(
        ticket.messages.filter(pk__gt=seen_message_id, from_staff=True, is_internal=False)
        .exclude(author=agent)
        .select_related("author")
    )


_HISTORY = PreparedQuery(
    lambda shape, ticket_id: TicketEvent.objects.filter(ticket_id=ticket_id).select_related("actor")
)


def ticket_history(*, ticket: Ticket) -> list[TicketEvent]:
    """`ticket.events` with their actors (from a statement prepared once)."""
    events = _HISTORY.fetch(ticket_id=ticket.pk)
    for event in events:
        event.ticket = ticket
    return events


def attachment_visible_to(*, user: User, pk: int) -> Attachment | None:
    """The attachment if `user` may open it: staff any, customers those of a ticket they
    see, never one on an internal note."""
    attachments = Attachment.objects.select_related("message")
    if not user.is_staff:
        attachments = attachments.filter(
            ticket__in=tickets_visible_to(user), message__is_internal=False
        )
    return attachments.filter(pk=pk).first()


def _policies_statement(channel: str, *, plan: str, priority: int) -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.filter(
        plan=plan, priority=priority, channel__in=sorted({channel, Channel.PORTAL})
    )


_POLICIES = PreparedQuery(_policies_statement)


def sla_policy_for(*, plan: str, priority: int, channel: str = Channel.PORTAL) -> SlaPolicy:
    """The policy of the channel, else the portal's (a channel without policies of its
    own), else the plainest promise."""
    policies = _POLICIES.fetch(channel, plan=plan, priority=priority)
    by_channel = {policy.channel: policy for policy in policies}
    policy = by_channel.get(channel) or by_channel.get(Channel.PORTAL)
    if policy is None:
        return SlaPolicy(plan=plan, priority=priority, response_hours=_FALLBACK_RESPONSE_HOURS)
    return policy


# A statement for each priority (a handful): a small integer cannot take the stand-in.
_PLAN_POLICIES = PreparedQuery(
    lambda priority, plan: SlaPolicy.objects.filter(plan=plan, priority=priority).order_by()
)


def ticket_sla(*, ticket: Ticket, now: datetime) -> tuple[SlaPolicy, timedelta | None]:
    """What the ticket page shows of the SLA, from one read of the policies of the ticket's
    plan and priority: the promise (sla_policy_for's: the portal's policy) and the time
    left (QueueClock's, in the calendar of the ticket's channel, else the portal's)."""
    plan, priority = ticket.customer.plan, ticket.priority
    # One a channel at most (a unique constraint): unordered.
    policies = _PLAN_POLICIES.fetch(int(priority), plan=str(plan))
    clock = QueueClock(now)
    clock._policies = {(p.plan, p.priority, p.channel): p.calendar for p in policies}
    by_channel = {p.channel: p for p in policies}
    policy = by_channel.get(Channel.PORTAL) or SlaPolicy(
        plan=plan, priority=priority, response_hours=_FALLBACK_RESPONSE_HOURS
    )
    return policy, clock.time_left(ticket)


def sla_policies_for_plan(*, plan: str, channel: str = Channel.PORTAL) -> list[SlaPolicy]:
    return list(SlaPolicy.objects.filter(plan=plan, channel=channel).order_by("priority"))


# Unordered: they go into sets. From a statement prepared once (portal.prepared).
_CALENDAR_EXCEPTIONS = PreparedQuery(
    lambda shape: CalendarException.objects.order_by().only("day", "is_open")
)


def business_calendar() -> sla.BusinessHours:
    closed, opened = set(), set()
    for exception in _CALENDAR_EXCEPTIONS.fetch():
        (opened if exception.is_open else closed).add(exception.day)
    return sla.BusinessHours(closed_days=frozenset(closed), open_days=frozenset(opened))


def sla_calendar(kind: str) -> sla.Calendar:
    if kind == SlaPolicy.CalendarKind.AROUND_THE_CLOCK:
        return sla.AroundTheClock()
    return business_calendar()


class QueueClock:
    """Time left for the rows of one page of the queue, with the calendar loaded once
    (or given, as QueueLookups reads it)."""

    def __init__(
        self,
        now: datetime,
        *,
        policies: dict[tuple[str, int, str], str] | None = None,
        business: sla.BusinessHours | None = None,
    ) -> None:
        self.now = now
        self._business = business
        self._policies = policies

    def _calendar_kind(self, ticket: Ticket) -> str:
        if self._policies is None:
            self._policies = {
                (plan, priority, channel): calendar
                for plan, priority, channel, calendar in SlaPolicy.objects.values_list(
                    "plan", "priority", "channel", "calendar"
                )
            }
        plan, priority = ticket.customer.plan, ticket.priority
        return self._policies.get(
            (plan, priority, ticket.channel),
            self._policies.get(
                (plan, priority, Channel.PORTAL), SlaPolicy.CalendarKind.BUSINESS_HOURS
            ),
        )

    def time_left(self, ticket: Ticket) -> timedelta | None:
        """Negative when overdue; None when nothing is owed."""
        if ticket.response_due_at is None:
            return None
        if self._calendar_kind(ticket) == SlaPolicy.CalendarKind.AROUND_THE_CLOCK:
            return ticket.response_due_at - self.now
        if abs(ticket.response_due_at - self.now) > timedelta(days=60):
            # Far beyond any target: the exact business hours would not change a decision.
            return ticket.response_due_at - self.now
        if self._business is None:
            self._business = business_calendar()
        return self._business.between(self.now, ticket.response_due_at)


@dataclass(frozen=True)
class QueueLookups:
    """The short lists the queue's page reads besides its tickets, in one query rather
    than four (each ORM query of ten rows costs more to build than to run): the SLA
    policies' calendars and the calendar's exceptions (the time left), the categories
    (their filter) and the active staff (the action bar's "assign to")."""

    policies: dict[tuple[str, int, str], str]
    business: sla.BusinessHours
    categories: list[Category]
    staff: list[User]

    @classmethod
    def read(cls) -> "QueueLookups":
        policy, exception = SlaPolicy._meta.db_table, CalendarException._meta.db_table
        category, user = Category._meta.db_table, User._meta.db_table
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            sql = f"""
                SELECT
                  (SELECT json_agg(json_build_array(plan, priority, channel, calendar))
                     FROM {policy}),
                  (SELECT json_agg(json_build_array(day, is_open)) FROM {exception}),
                  (SELECT json_agg(json_build_array(id, name, position, is_active)
                                   ORDER BY position, name)
                     FROM {category}),
                  (SELECT json_agg(json_build_array(id, username, full_name, erased_at)
                                   ORDER BY full_name)
                     FROM {user} WHERE is_staff AND is_active)
                """  # noqa: S608 - the table names are the models', nothing else is text
        else:
            # SQLite (the embedded default): its JSON functions, each list ordered in a
            # subquery (and again below: SQLite's aggregates take no ORDER BY).
            sql = f"""
                SELECT
                  (SELECT json_group_array(json_array(plan, priority, channel, calendar))
                     FROM {policy}),
                  (SELECT json_group_array(json_array(day, is_open)) FROM {exception}),
                  (SELECT json_group_array(json_array(id, name, position, is_active))
                     FROM (SELECT * FROM {category} ORDER BY position, name)),
                  (SELECT json_group_array(json_array(id, username, full_name, erased_at))
                     FROM (SELECT * FROM {user} WHERE is_staff AND is_active
                           ORDER BY full_name))
                """  # noqa: S608 - the table names are the models', nothing else is text
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        policies, exceptions, categories, staff = (
            row if postgresql else [json.loads(value) for value in row]
        )
        if not postgresql:
            # SQLite's default collation orders by code point, as Python does.
            categories.sort(key=lambda item: (item[2], item[1]))
            staff.sort(key=lambda item: item[2])
        closed, opened = set(), set()
        for day, is_open in exceptions or ():
            (opened if is_open else closed).add(date.fromisoformat(day))
        return cls(
            policies={
                (plan, priority, channel): calendar
                for plan, priority, channel, calendar in policies or ()
            },
            business=sla.BusinessHours(closed_days=frozenset(closed), open_days=frozenset(opened)),
            # The order of Category.Meta.ordering and of the staff list's queryset.
            categories=[
                Category(id=pk, name=name, position=position, is_active=bool(is_active))
                for pk, name, position, is_active in categories or ()
            ],
            staff=[
                User(
                    id=pk,
                    username=username,
                    full_name=full_name,
                    erased_at=_aware(datetime.fromisoformat(erased_at)) if erased_at else None,
                    is_staff=True,
                    is_active=True,
                )
                for pk, username, full_name, erased_at in staff or ()
            ],
        )


def _aware(moment: datetime) -> datetime:
    """SQLite keeps a moment as UTC without its offset; PostgreSQL's JSON has it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_within(*, now: datetime, within: timedelta) -> Q:
    """Tickets whose answer falls due between `now` and `within` from now, counted in
    each ticket's own calendar (business hours unless its policy runs around the clock)."""
    always = Q(pk__in=[])
    plans_by_priority: dict[int, set[str]] = {}
    for plan, priority in SlaPolicy.objects.filter(
        calendar=SlaPolicy.CalendarKind.AROUND_THE_CLOCK
    ).values_list("plan", "priority"):
        plans_by_priority.setdefault(priority, set()).add(plan)
    for priority, plans in plans_by_priority.items():
        # A priority around the clock for every plan needs no join to the customer.
        if plans >= set(Customer.Plan.values):
            always |= Q(priority=priority)
        else:
            always |= Q(priority=priority, customer__plan__in=sorted(plans))
    business_cutoff = business_calendar().due(now, within)
    return Q(response_due_at__gte=now) & (
        (always & Q(response_due_at__lte=now + within))
        | (~always & Q(response_due_at__lte=business_cutoff))
    )


def tickets_to_auto_close(*, resolved_before: datetime) -> list[int]:
    return list(
        Ticket.objects.filter(
            status=Ticket.Status.RESOLVED, resolved_at__lte=resolved_before
        ).values_list("pk", flat=True)
    )


def tickets_near_breach(*, now: datetime, within: timedelta) -> tuple[list[int], list[int]]:
    """Tickets owed an answer within `within` (or already late) whose agents have not been
    warned about this due time: (those with an assignee, those with nobody assigned)."""
    rows = (
        Ticket.objects.filter(response_due_at__isnull=False, response_due_at__lte=now + within)
        .exclude(breach_warning_for=F("response_due_at"))
        .order_by("response_due_at", "pk")
        .values_list("pk", "assignee_id")
    )
    assigned, unassigned = [], []
    for pk, assignee_id in rows:
        (unassigned if assignee_id is None else assigned).append(pk)
    return assigned, unassigned


def kept_upload_bytes(*, owner: User, since: datetime) -> int:
    """The size of the files kept for the login's forms since `since` (older ones can no
    longer be sent and wait for the purge)."""
    total = PendingUpload.objects.filter(owner=owner, created_at__gte=since).aggregate(
        total=Sum("size")
    )["total"]
    return total or 0
