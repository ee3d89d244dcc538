"""The agents' side: the queue (the Ticket changelist, most urgent first) and the ticket
page with the whole thread and a reply form. Every change goes through tickets.services."""

import html
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import ResultList
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import (
    get_language_info,
    gettext,
    gettext_noop,
    ngettext,
    pgettext,
)
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import Customer, User
from supportpin.selectors import (
    VerificationStatus,
    last_verification,
    verification_status_for,
    verified_now_subquery,
)
from tickets import dashboard, selectors, services
from tickets.forms import (
    AgentReplyForm,
    ListedModelChoiceField,
    PlainForeignKeyRawIdWidget,
    PlainRelatedFieldWidgetWrapper,
    PlainSelect,
    TicketChangeForm,
)
from tickets.models import (
    CalendarException,
    CannedReply,
    Category,
    Priority,
    SlaPolicy,
    Ticket,
)

SOON = timedelta(hours=1)
DUE_SOON_WINDOW = timedelta(hours=4)
# The queue's labels, looked up once a row: get_FOO_display() rebuilds its choices each call.
PRIORITY_LABELS = dict(Priority.choices)
PLAN_LABELS = dict(Customer.Plan.choices)
# The queue's columns that QueueChangeList.rows() writes itself (unless a subclass of
# TicketAdmin overrides their method).
_OWN_COLUMNS = ("time_left_display", "subject_line", "customer_name", "plan", "priority_badge")


# The words of the time left, marked here and translated once a page (gettext costs some
# microseconds a call, and the queue has two of them in each of its 50 rows).
_TIME_LEFT_WORDS = {
    "days_hours": gettext_noop("%(days)d d %(hours)d h"),
    "days": gettext_noop("%(days)d d"),
    "hours_minutes": gettext_noop("%(hours)d h %(minutes)d m"),
    "minutes": gettext_noop("%(minutes)d m"),
    "overdue": gettext_noop("overdue %(time)s"),
    "due": gettext_noop("due in %(time)s"),
}


def time_left_words() -> dict[str, str]:
    """The words of format_time_left in the current language."""
    return {key: gettext(message) for key, message in _TIME_LEFT_WORDS.items()}


def format_time_left(left: timedelta, words: dict[str, str] | None = None) -> str:
    """ "due in 2 h 10 m", "overdue 3 d": short enough for the queue's second column.
    `words`: time_left_words(), when many are written in one language."""
    if words is None:
        words = time_left_words()
    minutes = int(abs(left).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days and hours:
        text = words["days_hours"] % {"days": days, "hours": hours}
    elif days:
        text = words["days"] % {"days": days}
    elif hours:
        text = words["hours_minutes"] % {"hours": hours, "minutes": minutes}
    else:
        text = words["minutes"] % {"minutes": minutes}
    if left < timedelta(0):
        return words["overdue"] % {"time": text}
    return words["due"] % {"time": text}


def time_left_html(left: timedelta) -> str:
    """The time left, red when overdue and amber under an hour, each with its own symbol
    and words so that colour is not the only sign."""
    if left < timedelta(0):
        css, symbol = "sla-overdue", "⚠"
    elif left < SOON:
        css, symbol = "sla-soon", "◔"
    else:
        css, symbol = "sla-left", ""
    return format_html(
        '<span class="{}">{}{}</span>',
        css,
        format_html('<span aria-hidden="true">{} </span>', symbol) if symbol else "",
        format_time_left(left),
    )


def _queue_time_left_html(left: timedelta, words: dict[str, str]) -> str:
    """time_left_html() as the queue writes it 50 times a page: the same HTML without
    format_html's escaping of the constants (a test compares the rows)."""
    if left < timedelta(0):
        css, symbol = "sla-overdue", '<span aria-hidden="true">⚠ </span>'
    elif left < SOON:
        css, symbol = "sla-soon", '<span aria-hidden="true">◔ </span>'
    else:
        css, symbol = "sla-left", ""
    return f'<span class="{css}">{symbol}{html.escape(format_time_left(left, words))}</span>'


class CappedCountPaginator(Paginator):
    """Counting every matching ticket costs more than the rest of the page at 100,000
    tickets; agents only need the pages near the top, so the count stops at a cap."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        # Without the queue's order: any 10,000 rows count the same, and PostgreSQL may
        # then read them from the smallest index that answers the filters (a saved view
        # ordered by the queue's index had to skip the closed tickets: 12 ms, now 2).
        return self.object_list.order_by()[: self.cap].count()


def queue_lookups(request: HttpRequest) -> selectors.QueueLookups:
    """The queue page's short lists (policies, calendar, categories, staff), read once a
    request in one query."""
    lookups = getattr(request, "_queue_lookups", None)
    if lookups is None:
        lookups = request._queue_lookups = selectors.QueueLookups.read()
    return lookups


class QueueChangeList(ChangeList):
    # The columns the rows show (and the time left reads): the other 12 of a ticket, 20 of
    # its customer and 20 of its assignee cost a third of the page's query in the ORM. A
    # column that read another would add a query a row (a test counts them).
    row_fields = (
        "id",
        "reference",
        "subject",
        "priority",
        "status",
        "channel",
        "response_due_at",
        "customer__id",
        "customer__name",
        "customer__plan",
        "customer__closed_at",
        "assignee__id",
        "assignee__username",
        "assignee__full_name",
        "assignee__erased_at",
    )

    def get_results(self, request: HttpRequest) -> None:
        if not self.is_popup:
            self.queryset = self.queryset.only(*self.row_fields)
        super().get_results(request)
        # One calendar for the whole page rather than one per row.
        lookups = queue_lookups(request)
        clock = selectors.QueueClock(
            timezone.now(), policies=lookups.policies, business=lookups.business
        )
        for ticket in self.result_list:
            ticket.time_left = clock.time_left(ticket)

    def rows(self) -> list[ResultList]:
        """The page's rows, cell for cell the HTML of the admin's own `result_list`
        (`items_for_result`), which finds out for every cell what kind of column it is,
        reverses each row's URL twice and renders each checkbox through the widget
        templates: about a millisecond a row. Here the columns are known once per page
        (a test compares the two)."""
        admin = self.model_admin
        empty = admin.get_empty_value_display()
        # The change URL of every row: reversed once, with the filters the agent came with.
        sample = add_preserved_filters(
            {"preserved_filters": self.preserved_filters, "opts": self.opts},
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=("0",),
                current_app=admin.admin_site.name,
            ),
        )
        url_head, url_tail = (escape(part) for part in sample.split("/0/change/", 1))
        select_label = gettext("Select this object for an action - {}")
        words = time_left_words()
        # The labels translated and escaped once a page (escape() of a lazy translation
        # would stay lazy, translated again at every row).
        status_labels = {value: html.escape(str(label)) for value, label in Ticket.Status.choices}
        priority_labels = {
            value: html.escape(str(label)) for value, label in PRIORITY_LABELS.items()
        }
        plan_labels = {value: str(label) for value, label in PLAN_LABELS.items()}
        link_columns = set(self.list_display_links or ())
        cells = []
        for field_name in self.list_display:
            if field_name == "action_checkbox":
                cells.append(("action", None))
            elif field_name == "status":
                cells.append(("status", None))
            elif field_name in ("reference", "assignee") or (
                field_name in _OWN_COLUMNS
                and getattr(type(admin), field_name) is getattr(TicketAdmin, field_name)
            ):
                cells.append((field_name, None))
            else:
                cells.append(("method", getattr(admin, field_name)))
        rows = []
        for ticket in self.result_list:
            pk = quote(ticket.pk)
            url = f"{url_head}/{pk}/change/{url_tail}"
            items = []
            first = True
            for (kind, method), field_name in zip(cells, self.list_display, strict=True):
                css = f"field-{field_name}"
                if kind == "action":
                    # As format_html: the ticket escaped, the translated text as it is.
                    label = select_label.format(html.escape(str(ticket)))
                    items.append(
                        SafeString(  # the label is escaped above, the pk a number
                            '<td class="action-checkbox"><input type="checkbox" '
                            f'name="{helpers.ACTION_CHECKBOX_NAME}" value="{pk}" '
                            f'class="action-select" aria-label="{label}"></td>'
                        )
                    )
                    continue
                if kind == "time_left_display":
                    left = getattr(ticket, "time_left", None)
                    text = "—" if left is None else _queue_time_left_html(left, words)
                elif kind == "subject_line":
                    subject = html.escape(ticket.subject)
                    text = f'<span class="one-line" title="{subject}">{subject}</span>'
                elif kind == "customer_name" or kind == "plan":
                    customer = ticket.customer
                    value = (
                        customer.display_name
                        if kind == "customer_name"
                        else str(plan_labels.get(customer.plan, customer.plan))
                    )
                    text = html.escape(value) if value.strip() else ""
                elif kind == "priority_badge":
                    priority = ticket.priority
                    label = priority_labels.get(priority) or html.escape(str(priority))
                    text = f'<span class="badge priority-{priority}">{label}</span>'
                elif kind == "status":
                    text = status_labels.get(ticket.status, empty)
                elif kind == "reference":
                    text = html.escape(ticket.reference) if ticket.reference.strip() else ""
                elif kind == "assignee":
                    css += " nowrap"
                    assignee = ticket.assignee
                    text = empty if assignee is None else conditional_escape(assignee)
                else:
                    value = method(ticket)
                    if isinstance(value, str) and value.strip() == "":
                        value = ""
                    text = empty if value is None else conditional_escape(value)
                if field_name in link_columns:
                    tag = "th" if first else "td"
                    first = False
                    text = f'<a href="{url}">{text}</a>'
                else:
                    tag = "td"
                # Every value was escaped above (conditional_escape keeps the safe ones).
                # (SafeString rather than mark_safe, whose lazy-aware wrapper costs more than
                # writing the cell.)
                items.append(SafeString(f'<{tag} class="{css}">{text}</{tag}>'))
            rows.append(ResultList(None, items))
        return rows


class QueueMedia(forms.Media):
    """The queue's and the ticket page's scripts and style sheets (the admin's, the forms'
    and tickets.css): the same files at every request, and their static URLs are fixed
    while the process runs, so each list's tags are written once a process. Media of any
    other kind than paths are written each time."""

    _html: dict[tuple[str, str], str] = {}

    @classmethod
    def of(cls, media: forms.Media) -> "QueueMedia":
        queue_media = cls()
        queue_media._css_lists, queue_media._js_lists = media._css_lists, media._js_lists
        return queue_media

    def render(self) -> str:
        # Media.render(): the style sheets' lines, then the scripts'.
        lines = (str(self["css"]), str(self["js"]))
        return SafeString("\n".join(html for html in lines if html))

    def __getitem__(self, name: str):
        if name == "css":
            paths = [p for css in self._css_lists for paths in css.values() for p in paths]
            lists = self._css_lists
        elif name == "js":
            paths, lists = [p for js in self._js_lists for p in js], self._js_lists
        else:
            return super().__getitem__(name)
        if not all(isinstance(path, str) for path in paths):
            return super().__getitem__(name)
        key = (name, repr(lists))
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = str(super().__getitem__(name))
        return html


class CategoryFilter(admin.RelatedFieldListFilter):
    """The admin's filter of a related field, its choices (every category, in the
    model's order, as CategoryAdmin sets none) from the queue's lookups."""

    def field_choices(self, field, request, model_admin):
        return [(category.pk, str(category)) for category in queue_lookups(request).categories]


class SavedViewFilter(admin.SimpleListFilter):
    """The views an agent starts from, listed first."""

    title = _("view")
    parameter_name = "view"

    def lookups(self, request, model_admin):
        return [
            ("mine", _("Mine")),
            ("unassigned", _("Unassigned")),
            ("overdue", _("Overdue")),
            ("due4h", _("Due within 4 h")),
            ("waiting", _("Waiting on customer")),
            ("open", _("All open")),
        ]

    def queryset(self, request, queryset):
        active = Q(status__in=Ticket.ACTIVE_STATUSES)
        now = timezone.now()
        match self.value():
            case "mine":
                return queryset.filter(active, assignee=request.user)
            case "unassigned":
                return queryset.filter(active, assignee__isnull=True)
            case "overdue":
                return queryset.filter(response_due_at__lt=now)
            case "due4h":
                return queryset.filter(selectors.due_within(now=now, within=DUE_SOON_WINDOW))
            case "waiting":
                return queryset.filter(status=Ticket.Status.WAITING)
            case "open":
                return queryset.filter(active)
        return queryset


class QueueActionForm(helpers.ActionForm):
    """The bulk actions' own choices: whom to assign to, which priority to set. The three
    selects write their HTML without a template per option (PlainSelect), and the staff
    are read in one query."""

    action = forms.ChoiceField(
        label=helpers.ActionForm.base_fields["action"].label, widget=PlainSelect
    )
    assign_to = ListedModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("full_name"),
        required=False,
        widget=PlainSelect,
    )
    new_priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", "---------"), *Priority.choices],
        coerce=int,
        required=False,
        empty_value=None,
        widget=PlainSelect,
    )


class AssignmentFilter(admin.SimpleListFilter):
    title = _("assigned")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("To me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


class BreachedFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Answer overdue now")),
            ("owed", _("Answer owed")),
            ("breached", _("Answered late at least once")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(response_due_at__lt=timezone.now())
        if self.value() == "owed":
            return queryset.filter(response_due_at__isnull=False)
        if self.value() == "breached":
            return queryset.filter(sla_breached=True)
        return queryset


def _status_action(status: str, description: str):
    def action(modeladmin, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        for ticket in queryset:
            services.ticket_status_change(ticket=ticket, acting_user=request.user, status=status)
        modeladmin.message_user(
            request, gettext("%(count)d tickets updated.") % {"count": len(queryset)}
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "time_left_display",
        "subject_line",
        "customer_name",
        "plan",
        "priority_badge",
        "status",
        "assignee",
    ]
    list_display_links = ["reference", "subject_line"]
    list_select_related = ["customer", "assignee"]
    list_filter = [
        SavedViewFilter,
        "status",
        "priority",
        ("customer__plan", admin.ChoicesFieldListFilter),
        ("category", CategoryFilter),
        AssignmentFilter,
        BreachedFilter,
    ]
    search_fields = ["reference", "subject", "customer__name", "requester__email"]
    ordering = [F("response_due_at").asc(nulls_last=True), "-priority", "-id"]
    show_full_result_count = False
    list_per_page = 50
    paginator = CappedCountPaginator
    raw_id_fields = ["assignee"]
    action_form = QueueActionForm
    actions = [
        "assign_to_me",
        "assign_to",
        "set_priority",
        _status_action(Ticket.Status.OPEN, _("Set status: open")),
        _status_action(Ticket.Status.WAITING, _("Set status: waiting on customer")),
        _status_action(Ticket.Status.RESOLVED, _("Set status: resolved")),
        _status_action(Ticket.Status.CLOSED, _("Set status: closed")),
    ]
    fields = ["status", "priority", "category", "assignee"]
    form = TicketChangeForm

    class Media:
        css = {"all": ["css/tickets.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tickets are opened by customers (or on their behalf through their login).
        return False

    # Handling tickets is what every agent does (PRODUCT: a support agent is `is_staff`),
    # so it needs no model permission; deleting one does.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        # The queue needs the width at 1280 px more than the list of apps beside it.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        action_form = context.get("action_form")
        if action_form is not None and not action_form.is_bound:
            # The staff to assign to, as the queue's lookups read them.
            action_form.fields["assign_to"].listed = queue_lookups(request).staff
        if isinstance(context.get("media"), forms.Media):
            context["media"] = QueueMedia.of(context["media"])
        return response

    def get_changelist(self, request: HttpRequest, **kwargs):
        return QueueChangeList

    @admin.display(description=_("subject"), ordering="subject")
    def subject_line(self, ticket: Ticket) -> str:
        return format_html(
            '<span class="one-line" title="{}">{}</span>', ticket.subject, ticket.subject
        )

    @admin.display(description=_("customer"), ordering="customer__name")
    def customer_name(self, ticket: Ticket) -> str:
        return ticket.customer.display_name

    @admin.display(description=_("plan"), ordering="customer__plan")
    def plan(self, ticket: Ticket) -> str:
        plan = ticket.customer.plan
        return PLAN_LABELS.get(plan, plan)

    @admin.display(description=_("priority"), ordering="priority")
    def priority_badge(self, ticket: Ticket) -> str:
        return format_html(
            '<span class="badge priority-{}">{}</span>',
            ticket.priority,
            PRIORITY_LABELS.get(ticket.priority, ticket.priority),
        )

    @admin.display(description=_("time left"), ordering="response_due_at")
    def time_left_display(self, ticket: Ticket) -> str:
        left = getattr(ticket, "time_left", None)
        if left is None:
            return "—"
        return time_left_html(left)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        for ticket in queryset:
            services.ticket_assign(ticket=ticket, acting_user=request.user, assignee=request.user)
        self.message_user(
            request, gettext("%(count)d tickets assigned to you.") % {"count": len(queryset)}
        )

    def _action_choice(self, request: HttpRequest, name: str) -> object:
        """The value chosen beside the action in the queue's action bar, or None."""
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        return form.cleaned_data[name] if form.is_valid() else None

    @admin.action(description=_("Assign to the staff member chosen"), permissions=["change"])
    def assign_to(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        assignee = self._action_choice(request, "assign_to")
        if assignee is None:
            self.message_user(request, gettext("Choose a staff member first."), messages.ERROR)
            return
        for ticket in queryset:
            services.ticket_assign(ticket=ticket, acting_user=request.user, assignee=assignee)
        self.message_user(
            request,
            gettext("%(count)d tickets assigned to %(name)s.")
            % {"count": len(queryset), "name": assignee.get_full_name()},
        )

    @admin.action(description=_("Set the priority chosen"), permissions=["change"])
    def set_priority(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> None:
        priority = self._action_choice(request, "new_priority")
        if priority is None:
            self.message_user(request, gettext("Choose a priority first."), messages.ERROR)
            return
        for ticket in queryset:
            services.ticket_update(
                ticket=ticket,
                acting_user=request.user,
                status=ticket.status,
                priority=priority,
                category=ticket.category,
                assignee=ticket.assignee,
            )
        self.message_user(request, gettext("%(count)d tickets updated.") % {"count": len(queryset)})

    def save_model(self, request: HttpRequest, obj: Ticket, form, change: bool) -> None:
        services.ticket_update(
            ticket=obj,
            acting_user=request.user,
            status=obj.status,
            priority=obj.priority,
            category=obj.category,
            assignee=obj.assignee,
        )

    # The ticket's own form: its selects write their HTML without a template per option,
    # the category's links without the wrapper's template, and the categories are read
    # without a server-side cursor.
    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and type(formfield.widget) is RelatedFieldWidgetWrapper:
            # The admin's wrapper, as it made it, writing its own HTML.
            formfield.widget.__class__ = PlainRelatedFieldWidgetWrapper
        return formfield

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        kwargs.setdefault("widget", PlainSelect)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "category":
            kwargs.setdefault("widget", PlainSelect)
            kwargs.setdefault("form_class", ListedModelChoiceField)
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = PlainForeignKeyRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        limit = db_field.get_limit_choices_to()
        if limit and isinstance(limit, dict) and "queryset" not in kwargs:
            # The assignee's limit (staff only) as a plain filter: the form would add it
            # as an EXISTS subquery built anew for every form (0.7 ms a page), for the
            # same choices.
            queryset = self.get_field_queryset(None, db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = queryset.filter(**limit)
            kwargs["limit_choices_to"] = None
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        query = getattr(getattr(formfield, "queryset", None), "query", None)
        if (
            isinstance(formfield, ListedModelChoiceField)
            and formfield.queryset.model is Category
            and not (query.where or query.order_by)
        ):
            # Every category in the model's order, its queryset's choices, read from a
            # statement prepared once each time the select is written.
            formfield.listed = selectors.EveryCategory()
        return formfield

    def get_urls(self):
        return [
            path(
                "<int:pk>/reply/",
                self.admin_site.admin_view(require_POST(self.reply_view)),
                name="tickets_ticket_reply",
            ),
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="tickets_dashboard",
            ),
            path(
                "<int:pk>/reopen/",
                self.admin_site.admin_view(require_POST(self.reopen_view)),
                name="tickets_ticket_reopen",
            ),
            *super().get_urls(),
        ]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        """The admin's lookup (None for an id that is not a number, so that
        /admin/tickets/ticket/abc/change/ gets the admin's "does not exist" answer), in one
        query with the customer, the requester, the category and the assignee. The ticket
        page asks for it twice (its own context, then the admin's form): a GET reads it
        once; a POST reads it afresh each time, as the form changes the instance."""
        shown = request.__dict__.setdefault("_tickets_read", {})
        key = (object_id, from_field)
        if request.method in ("GET", "HEAD") and key in shown:
            return shown[key]
        # With whether the requester's caller is verified now, for the page's header.
        field = Ticket._meta.pk if from_field is None else Ticket._meta.get_field(from_field)
        try:
            value = field.to_python(object_id)
            if from_field is None:
                # By id, as every link to the page: from a statement prepared once.
                ticket = selectors.agent_ticket(pk=value, now=timezone.now())
            else:
                ticket = (
                    self.get_queryset(request)
                    .select_related("customer", "requester", "category", "assignee")
                    .annotate(
                        caller_verified_now=verified_now_subquery(
                            OuterRef("requester"), timezone.now()
                        )
                    )
                    .get(**{field.name: value})
                )
        except (Ticket.DoesNotExist, ValidationError, ValueError):
            ticket = None
        shown[key] = ticket
        return ticket

    def _ticket_context(
        self, request: HttpRequest, ticket: Ticket, reply_form: AgentReplyForm
    ) -> dict:
        """What the ticket page shows around the admin's own form: the facts, the thread,
        the history and the reply form."""
        now = timezone.now()
        policy, time_left = selectors.ticket_sla(ticket=ticket, now=now)
        if hasattr(ticket, "caller_verified_now"):
            caller = VerificationStatus(
                verified_now=ticket.caller_verified_now,
                last=last_verification(ticket.requester),
            )
        else:
            caller = verification_status_for(ticket.requester, now)
        thread = selectors.ticket_thread(ticket=ticket, include_internal=True)
        if not reply_form.is_bound:
            reply_form.initial["seen_message_id"] = max((m.pk for m in thread), default=0)
        context = {
            # The ticket is the page's one title (the admin would add "Change ticket" and
            # the ticket again as a subtitle).
            "title": str(ticket),
            "subtitle": None,
            "ticket": ticket,
            "thread": thread,
            "history": selectors.ticket_history(ticket=ticket),
            "policy": policy,
            "time_left": time_left,
            "reply_form": reply_form,
            "caller": caller,
            "canned_replies": self._canned_replies(request, ticket),
            "requester_language": get_language_info(
                ticket.requester.language or settings.LANGUAGE_CODE
            )["name_translated"],
            "verify_caller_url": reverse("admin:supportpin_callerverification_changelist")
            + f"?login={ticket.requester_id}",
        }
        if time_left is not None:
            context["time_left_html"] = time_left_html(time_left)
        return context

    def _canned_replies(self, request: HttpRequest, ticket: Ticket) -> list[tuple[str, str]]:
        """Each canned reply's title and its text in the requester's language, filled in."""
        language = ticket.requester.language or settings.LANGUAGE_CODE
        values = {
            "customer_name": ticket.requester.get_full_name(),
            "reference": ticket.reference,
            "agent_name": request.user.get_full_name(),
        }
        return [
            (reply.title, reply.text_for(language, **values))
            for reply in selectors.canned_replies()
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if isinstance(context.get("media"), forms.Media):
            context["media"] = QueueMedia.of(context["media"])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The ticket page; the ticket's own form (status, priority, category, assignee) is
        saved here through save_model, the reply form by reply_view."""
        ticket = self.get_object(request, unquote(object_id))
        if ticket is not None:
            extra_context = {
                **self._ticket_context(request, ticket, AgentReplyForm(owner=request.user)),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)

    def _ticket_page_with_reply_errors(
        self, request: HttpRequest, ticket: Ticket, reply_form: AgentReplyForm
    ) -> HttpResponse:
        """The ticket page as a GET shows it, with the reply as typed and its errors."""
        fieldsets = self.get_fieldsets(request, ticket)
        ticket_form = self.get_form(
            request, ticket, change=True, fields=flatten_fieldsets(fieldsets)
        )(instance=ticket)
        admin_form = helpers.AdminForm(
            ticket_form,
            list(fieldsets),
            {},
            self.get_readonly_fields(request, ticket),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change %s") % self.opts.verbose_name,
            "subtitle": str(ticket),
            "adminform": admin_form,
            "object_id": str(ticket.pk),
            "original": ticket,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(ticket_form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **self._ticket_context(request, ticket, reply_form),
        }
        # The page is served at the reply URL: the ticket's form still posts to its own.
        change_url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
        return self.render_change_form(
            request, context, add=False, change=True, obj=ticket, form_url=change_url
        )

    def reply_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self.get_object(request, str(pk))
        if ticket is None:
            raise Http404
        if not self.has_change_permission(request, ticket):
            return HttpResponseRedirect(reverse("admin:index"))
        change_url = reverse("admin:tickets_ticket_change", args=[pk])
        form = AgentReplyForm(request.POST, request.FILES, owner=request.user)
        if form.is_valid():
            data = form.cleaned_data
            newer = selectors.replies_by_others_since(
                ticket=ticket, seen_message_id=data["seen_message_id"] or 0, agent=request.user
            )
            if newer and not data["send_anyway"]:
                return self._ticket_page_after_collision(request, ticket, form, newer)
            try:
                services.ticket_reply_as_agent(
                    ticket=ticket,
                    agent=request.user,
                    body=data["body"],
                    internal=data["internal"],
                    status=data["status"] or None,
                    files=form.accepted_files,
                    pending_uploads=form.kept_uploads,
                )
            except services.TicketNotOpen:
                self.message_user(
                    request,
                    gettext("This request is closed: reopen it before replying."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(change_url)
            self.message_user(
                request,
                gettext("Internal note added.")
                if data["internal"]
                else gettext("Reply sent to the customer."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
        stored = services.pending_upload_store(owner=request.user, files=form.accepted_files)
        form.offer_back(stored.kept, not_kept=stored.not_kept)
        return self._ticket_page_with_reply_errors(request, ticket, form)

    def _ticket_page_after_collision(
        self, request: HttpRequest, ticket: Ticket, form: AgentReplyForm, newer: list
    ) -> HttpResponse:
        """The reply comes back unsent under the colleague's reply; sending it again sends
        it."""
        stored = services.pending_upload_store(owner=request.user, files=form.accepted_files)
        data = request.POST.copy()
        data["send_anyway"] = "on"
        data["seen_message_id"] = str(max(message.pk for message in newer))
        again = AgentReplyForm(data, owner=request.user)
        again.is_valid()
        again.offer_back(stored.kept, not_kept=stored.not_kept)
        self.message_user(
            request,
            ngettext(
                "%(names)s replied to this request after you opened it. Read the reply, "
                "then send yours again if it still applies.",
                "%(names)s replied to this request after you opened it. Read the replies, "
                "then send yours again if it still applies.",
                len(newer),
            )
            % {"names": ", ".join(sorted({m.author.get_full_name() for m in newer}))},
            messages.WARNING,
        )
        return self._ticket_page_with_reply_errors(request, ticket, again)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        context = {
            **self.admin_site.each_context(request),
            "title": pgettext("agents", "Dashboard"),
            "opts": self.opts,
            **dashboard_context(agent=request.user),
        }
        return TemplateResponse(request, "admin/tickets/dashboard.html", context)

    def reopen_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        ticket = self.get_object(request, str(pk))
        if ticket is None:
            raise Http404
        if not self.has_change_permission(request, ticket):
            return HttpResponseRedirect(reverse("admin:index"))
        if ticket.status == Ticket.Status.CLOSED:
            services.ticket_status_change(
                ticket=ticket, acting_user=request.user, status=Ticket.Status.OPEN
            )
            self.message_user(request, gettext("Request reopened."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:tickets_ticket_change", args=[pk]))


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["channel", "plan", "priority", "response_hours", "calendar"]
    list_editable = ["response_hours", "calendar"]
    list_filter = ["channel", "plan", "calendar"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["day", "is_open", "reason"]
    date_hierarchy = "day"


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Staff keep the canned replies; each in the four languages."""

    list_display = ["title", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["title", "is_active"]}),
        (
            _("Texts"),
            {
                "fields": ["body_en", "body_el", "body_it", "body_sk"],
                "description": _(
                    "Placeholders: {customer_name}, {reference} and {agent_name} are "
                    "replaced when an agent inserts the text."
                ),
            },
        ),
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: CannedReply | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request: HttpRequest, obj: CannedReply | None = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_delete_permission(self, request: HttpRequest, obj: CannedReply | None = None) -> bool:
        return request.user.is_active and request.user.is_staff


def dashboard_context(*, agent: User) -> dict:
    """What the agents' dashboard shows (its page, and the admin's home page for staff):
    the numbers of now, the grid of open requests, and the charts with their SVG bars."""
    now = timezone.now()
    numbers = dashboard.now_numbers(agent=agent, now=now)
    statuses = [(s, label) for s, label in Ticket.Status.choices if s in Ticket.ACTIVE_STATUSES]
    grid = [
        {
            "priority": priority,
            "label": label,
            "cells": [
                {
                    "status": status,
                    "count": numbers.by_priority_and_status.get((priority, status), 0),
                }
                for status, _label in statuses
            ],
        }
        for priority, label in dashboard.priorities()
    ]
    figures = dashboard.history(now=now)
    opened, solved = dashboard.opened_and_solved(now=now, figures=figures)
    day, week, plan, age = gettext("Day"), gettext("Week of"), gettext("Plan"), gettext("Age")
    charts = [
        (opened, day, 5),
        (solved, day, 5),
        (dashboard.first_response_hours(now=now, figures=figures), plan, 1),
        (dashboard.backlog_age(numbers), age, 1),
    ]
    # Small multiples: one chart per plan and priority, on the same 0-100 scale.
    kept = [(series, week, 3) for series in dashboard.first_response_kept(now=now, figures=figures)]

    def drawn(start: int, chosen: list, width: int, height: int) -> list[dict]:
        return [
            {
                "id": f"chart-{index}",
                "series": series,
                "label_heading": heading,
                "width": width,
                "height": height,
                "bars": dashboard.bars(series, width=width, height=height, every=every),
            }
            for index, (series, heading, every) in enumerate(chosen, start=start)
        ]

    return {
        "now": numbers,
        "statuses": statuses,
        "grid": grid,
        "queue_url": reverse("admin:tickets_ticket_changelist"),
        "charts": drawn(1, charts, 640, 160),
        "kept_charts": drawn(len(charts) + 1, kept, 200, 80),
    }
