from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer
from portal.storage import PrivateStorage, private_storage


def _private_storage() -> PrivateStorage:
    return private_storage


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")
    CRITICAL = 5, _("Critical")


# The definitions a customer reads when choosing (seed 001, IPtech helpdesk).
PRIORITY_DEFINITIONS = {
    Priority.LOW: _(
        "The problem is of no particular importance, or you simply want to ask a general question."
    ),
    Priority.NORMAL: _(
        "Questions about using programs, or about system, network or (new) peripheral "
        "device settings."
    ),
    Priority.HIGH: _(
        "A function of your system, your network or your peripherals has a problem that "
        "prevents you from working."
    ),
    Priority.URGENT: _(
        "A central system, a server, the web site or a mail server is malfunctioning, "
        "stopping the work of a small number of workstations."
    ),
    Priority.CRITICAL: _(
        "Core resources of the business cannot be reached and the whole business is "
        "stopped, for every workstation, and you do not know why."
    ),
}


class Category(models.Model):
    """What a request is about; supervisors maintain the list in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered to customers"), default=True, help_text=_("Hidden from new requests when off.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        # Seeded names are marked for translation in the seeding migration.
        return gettext(self.name)


class Channel(models.TextChoices):
    """How a request reached us: its SLA policies differ (seed 004)."""

    # A context of their own: "Email" is also a category (email services), worded otherwise.
    PORTAL = "portal", pgettext_lazy("request channel", "Portal")
    EMAIL = "email", pgettext_lazy("request channel", "Email")


class SlaPolicy(models.Model):
    """How soon a customer of a plan gets an answer to a request of a priority that came
    through a channel."""

    class CalendarKind(models.TextChoices):
        BUSINESS_HOURS = "business", _("Business hours (Mon-Fri 09:00-18:00 Athens)")
        AROUND_THE_CLOCK = "always", _("Around the clock")

    plan = models.CharField(_("plan"), max_length=20, choices=Customer.Plan.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    response_hours = models.DecimalField(
        _("response target (hours)"), max_digits=6, decimal_places=2
    )
    calendar = models.CharField(
        _("counted in"),
        max_length=20,
        choices=CalendarKind.choices,
        default=CalendarKind.BUSINESS_HOURS,
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["channel", "plan", "-priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "priority", "channel"], name="tickets_sla_plan_priority_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(response_hours__gt=0), name="tickets_sla_positive_target"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_plan_display()} · {self.get_priority_display()} · "
            f"{self.get_channel_display()}"
        )

    @property
    def response_target(self) -> timedelta:
        return timedelta(hours=float(self.response_hours))


class CalendarException(models.Model):
    """A day a supervisor closed (e.g. a company holiday) or opened (a public holiday on
    which the desk works after all); it overrides the regular business hours."""

    day = models.DateField(_("day"), unique=True)
    is_open = models.BooleanField(
        _("open"), default=False, help_text=_("Tick to open a day that is normally closed.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} ({_('open') if self.is_open else _('closed')})"


class ReferenceCounter(models.Model):
    """The last reference number given in a year; locked while a ticket is numbered."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="tickets"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    subject = models.CharField(_("subject"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(
        _("opened through"), max_length=10, choices=Channel.choices, default=Channel.PORTAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        limit_choices_to={"is_staff": True},
    )
    browser = models.CharField(_("browser"), max_length=200, blank=True)
    device = models.CharField(_("device"), max_length=200, blank=True)

    # The SLA clock: set while the customer waits for an answer, cleared by the answer.
    awaiting_response_since = models.DateTimeField(
        _("waiting for an answer since"), null=True, blank=True
    )
    response_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    sla_breached = models.BooleanField(_("SLA ever breached"), default=False)
    breach_warning_for = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The agents' queue: most urgent first (NULL, i.e. nothing owed, sorts last).
            models.Index(fields=["response_due_at", "-priority", "-id"], name="tickets_queue"),
            models.Index(fields=["customer", "-updated_at"], name="tickets_customer_recent"),
            models.Index(fields=["requester", "-updated_at"], name="tickets_requester_recent"),
            models.Index(fields=["status", "updated_at"], name="tickets_status_updated"),
            # The dashboard's requests opened and solved per day.
            models.Index(fields=["created_at"], name="tickets_opened"),
            models.Index(
                fields=["resolved_at"],
                name="tickets_solved",
                condition=models.Q(resolved_at__isnull=False),
            ),
            # The dashboard's numbers of now: one index-only pass over the open requests.
            models.Index(
                fields=["priority", "status", "response_due_at", "assignee", "created_at"],
                name="tickets_open_now",
                condition=models.Q(status__in=["new", "open", "waiting"]),
            ),
            # The dashboard's time to a first answer.
            models.Index(
                fields=["first_response_at"],
                name="tickets_first_answered",
                condition=models.Q(first_response_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class TicketMessage(models.Model):
    """One entry of the conversation: the customer's words, an agent's reply, or an
    internal note that only staff see."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="ticket_messages",
    )
    body = models.TextField(_("message"))
    from_staff = models.BooleanField(_("from support"), default=False)
    is_internal = models.BooleanField(_("internal note"), default=False)
    # Written by the portal for an agent, e.g. an action done by phone: not a reply.
    is_system = models.BooleanField(_("system message"), default=False)
    # For a reply that answered a waiting customer: whether it came in time.
    sla_met = models.BooleanField(_("answered in time"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="tickets_message_thread"),
            # The dashboard's answers in time per week.
            models.Index(
                fields=["created_at"],
                name="tickets_message_answered",
                condition=models.Q(sla_met__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    return f"tickets/{instance.ticket_id}/{filename}"


class Attachment(models.Model):
    """A file of a message. Stored under a random name; `name` is what the customer chose."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        TicketMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to=_attachment_path)
    thumbnail = models.FileField(
        _("thumbnail"), storage=_private_storage, upload_to=_attachment_path, blank=True
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail)


class PendingUpload(models.Model):
    """A file that passed the checks on a form that had other errors. Kept so the person
    does not have to choose it again; referenced from the form by a signed token, and
    purged after TICKETS_KEPT_UPLOAD_HOURS if the form is never sent."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=_private_storage, upload_to="pending/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class TicketEvent(models.Model):
    """The history of a ticket: who did what, and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        CUSTOMER_REPLIED = "customer_replied", _("Customer replied")
        REPLIED = "replied", _("Replied")
        NOTE_ADDED = "note_added", _("Internal note added")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        ASSIGNEE_CHANGED = "assignee_changed", _("Assignee changed")
        CATEGORY_CHANGED = "category_changed", _("Category changed")
        SLA_MET = "sla_met", _("Answered in time")
        SLA_BREACHED = "sla_breached", _("Answered late")
        BREACH_WARNED = "breach_warned", _("Agents warned of a coming breach")
        PHONE_ACTION = "phone_action", _("Action done by phone after a Support PIN check")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="tickets_event_history")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.ticket_id})"

    @property
    def old_value_display(self) -> object:
        return self._value_display(self.old_value)

    @property
    def new_value_display(self) -> object:
        return self._value_display(self.new_value)

    def _value_display(self, value: str) -> object:
        """What a person reads for a stored value: a status or priority by its label in
        the reader's language, a category by its translated name, a due time as a time."""
        if not value:
            return ""
        if self.kind == self.Kind.STATUS_CHANGED and value in Ticket.Status.values:
            return Ticket.Status(value).label
        if self.kind == self.Kind.PRIORITY_CHANGED and value in map(str, Priority.values):
            return Priority(int(value)).label
        if self.kind == self.Kind.CATEGORY_CHANGED:
            return gettext(value)
        if self.kind in (self.Kind.SLA_MET, self.Kind.SLA_BREACHED):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                return value
        return value


class CannedReply(models.Model):
    """A reply staff keep ready in each language, inserted into the reply box in the
    requester's language. Bodies may name {customer_name}, {reference} and {agent_name}."""

    PLACEHOLDERS = ("customer_name", "reference", "agent_name")

    title = models.CharField(_("title"), max_length=120, unique=True)
    body_en = models.TextField(_("text in English"))
    body_el = models.TextField(_("text in Greek"))
    body_it = models.TextField(_("text in Italian"))
    body_sk = models.TextField(_("text in Slovak"))
    is_active = models.BooleanField(_("offered to agents"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def body_in(self, language: str) -> str:
        return getattr(self, f"body_{language}", "") or self.body_en

    def text_for(self, language: str, **values: str) -> str:
        """The body in `language` (English if it has none) with the placeholders filled;
        a brace that is not one of them stays as written."""
        text = self.body_in(language)
        for name in self.PLACEHOLDERS:
            text = text.replace("{" + name + "}", values.get(name, ""))
        return text


class DayFigures(models.Model):
    """What happened on one day (Athens) to the requests of one plan and priority: the
    history the agents' dashboard charts, kept by the beat job tickets.tasks.summarise_days
    and recomputed from the tickets and messages (never edited by hand)."""

    day = models.DateField()
    plan = models.CharField(max_length=20, choices=Customer.Plan.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    opened = models.PositiveIntegerField(default=0)
    # Requests whose current resolution fell on this day (a reopened request moves on).
    solved = models.PositiveIntegerField(default=0)
    # Each request's first answer whose timeliness was recorded, and those in time.
    first_answers = models.PositiveIntegerField(default=0)
    first_answers_in_time = models.PositiveIntegerField(default=0)
    # The business hours each request first answered this day waited: a list, so that the
    # median and the 90th percentile of any run of days are exact.
    first_answer_hours = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "plan", "priority"], name="tickets_day_figures_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.plan} {self.priority}"
