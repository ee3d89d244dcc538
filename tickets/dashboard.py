"""The agents' dashboard: the numbers of now and four charts, each read in a fixed number
of queries whatever the number of tickets.

Everything is counted by the database (GROUP BY over indexed columns), except the business
hours of first responses: the calendar (weekends, Greek holidays, supervisors' exceptions)
lives in Python (tickets/sla.py), so those durations are computed over the first
responses of the last 30 days only, fetched as three columns per ticket.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate, TruncWeek
from django.utils.translation import gettext as _

from accounts.models import Customer, User
from tickets import selectors
from tickets.models import Priority, SlaPolicy, Ticket, TicketMessage
from tickets.sla import ATHENS

DUE_SOON = timedelta(hours=4)
DAYS = 30
WEEKS = 12
BACKLOG_BUCKETS = [  # (label, younger than)
    (lambda: _("under 1 day"), timedelta(days=1)),
    (lambda: _("1 to 3 days"), timedelta(days=3)),
    (lambda: _("3 to 7 days"), timedelta(days=7)),
    (lambda: _("7 to 30 days"), timedelta(days=30)),
    (lambda: _("30 days or more"), None),
]


@dataclass
class Now:
    by_priority_and_status: dict[tuple[int, str], int]
    overdue: int
    due_soon: int
    unassigned: int
    mine: int
    by_age: list[int]


@dataclass
class Series:
    """One chart's data: labelled values, in order, with the unit its values are in."""

    title: str
    unit: str
    points: list[tuple[str, float]] = field(default_factory=list)

    @property
    def maximum(self) -> float:
        return max((value for _label, value in self.points), default=0)


def now_numbers(*, agent: User, now: datetime) -> Now:
    """One pass over the open requests: counted per priority and status, and each count of
    now within those groups (an answer is owed only on an open request)."""
    active = Q(status__in=Ticket.ACTIVE_STATUSES)
    rows = list(
        Ticket.objects.filter(active)
        .values("priority", "status")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(response_due_at__lt=now)),
            due_soon=Count("id", filter=selectors.due_within(now=now, within=DUE_SOON)),
            unassigned=Count("id", filter=Q(assignee__isnull=True)),
            mine=Count("id", filter=Q(assignee=agent)),
            **_age_counts(now),
        )
        .order_by()
    )
    return Now(
        by_priority_and_status={(row["priority"], row["status"]): row["n"] for row in rows},
        **{
            name: sum(row[name] for row in rows)
            for name in ("overdue", "due_soon", "unassigned", "mine")
        },
        by_age=[sum(row[f"age{i}"] for row in rows) for i in range(len(BACKLOG_BUCKETS))],
    )


def _age_counts(now: datetime) -> dict[str, Count]:
    counts, older_than = {}, None
    for index, (_name, younger_than) in enumerate(BACKLOG_BUCKETS):
        condition = Q()
        if younger_than is not None:
            condition &= Q(created_at__gt=now - younger_than)
        if older_than is not None:
            condition &= Q(created_at__lte=now - older_than)
        counts[f"age{index}"] = Count("id", filter=condition)
        older_than = younger_than
    return counts


def _days(today: date) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]


def opened_and_solved(*, now: datetime) -> tuple[Series, Series]:
    """Requests opened, and requests resolved, per Athens day over the last 30 days."""
    today = now.astimezone(ATHENS).date()
    days = _days(today)
    since = datetime.combine(days[0], datetime.min.time(), tzinfo=ATHENS)

    def per_day(column: str) -> dict[date, int]:
        return dict(
            Ticket.objects.filter(**{f"{column}__gte": since})
            .annotate(day=TruncDate(column, tzinfo=ATHENS))
            .values("day")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("day", "n")
        )

    opened, solved = per_day("created_at"), per_day("resolved_at")
    return (
        Series(
            _("Requests opened per day"),
            _("requests"),
            [(f"{d:%d/%m}", opened.get(d, 0)) for d in days],
        ),
        Series(
            _("Requests solved per day"),
            _("requests"),
            [(f"{d:%d/%m}", solved.get(d, 0)) for d in days],
        ),
    )


def _first_replies():
    """Each ticket's first answer whose timeliness was recorded: no such answer before it."""
    earlier = TicketMessage.objects.filter(
        ticket=OuterRef("ticket"), sla_met__isnull=False, created_at__lt=OuterRef("created_at")
    )
    return TicketMessage.objects.filter(sla_met__isnull=False).exclude(Exists(earlier))


def first_response_kept(*, now: datetime) -> list[Series]:
    """Per plan, the share of first answers given in time, per week (Monday, Athens) over
    the last 12 weeks."""
    this_monday = now.astimezone(ATHENS).date() - timedelta(days=now.astimezone(ATHENS).weekday())
    weeks = [this_monday - timedelta(weeks=offset) for offset in range(WEEKS - 1, -1, -1)]
    since = datetime.combine(weeks[0], datetime.min.time(), tzinfo=ATHENS)
    rows = (
        _first_replies()
        .filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at", tzinfo=ATHENS), plan=F("ticket__customer__plan"))
        .values("week", "plan")
        .annotate(kept=Count("id", filter=Q(sla_met=True)), total=Count("id"))
        .order_by()
    )
    found = {}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        found[(row["plan"], week)] = round(100 * row["kept"] / row["total"])
    return [
        Series(
            _("First answers in time, %(plan)s plan, per week (%%)") % {"plan": label},
            "%",
            [(f"{week:%d/%m}", found.get((plan, week), 0)) for week in weeks],
        )
        for plan, label in Customer.Plan.choices
    ]


def first_response_hours(*, now: datetime) -> Series:
    """Median and 90th percentile of the business hours to a first answer, per plan, over
    the tickets first answered in the last 30 days."""
    always = set(
        SlaPolicy.objects.filter(calendar=SlaPolicy.CalendarKind.AROUND_THE_CLOCK).values_list(
            "plan", "priority"
        )
    )
    rows = list(
        Ticket.objects.filter(first_response_at__gte=now - timedelta(days=DAYS)).values_list(
            "customer__plan", "priority", "created_at", "first_response_at"
        )
    )
    hours: dict[str, list[float]] = {plan: [] for plan in Customer.Plan.values}
    if rows:
        first = min(created for _plan, _priority, created, _answered in rows)
        elapsed = selectors.business_calendar().elapsed(
            first.astimezone(ATHENS).date(), now.astimezone(ATHENS).date()
        )
        for plan, priority, created, answered in rows:
            waited = (
                answered - created
                if (plan, priority) in always
                else elapsed(answered) - elapsed(created)
            )
            hours[plan].append(waited.total_seconds() / 3600)
    points = []
    for plan, label in Customer.Plan.choices:
        values = sorted(hours[plan])
        median = statistics.median(values) if values else 0
        p90 = values[max(0, -(-len(values) * 9 // 10) - 1)] if values else 0
        points += [
            (_("%(plan)s median") % {"plan": label}, round(median, 1)),
            (_("%(plan)s 90th percentile") % {"plan": label}, round(p90, 1)),
        ]
    return Series(_("Business hours to a first answer, last 30 days"), _("hours"), points)


def backlog_age(numbers: Now) -> Series:
    """Open requests by how long ago they were opened (counted with the numbers of now)."""
    return Series(
        _("Open requests by age"),
        _("requests"),
        [
            (name(), count)
            for (name, _limit), count in zip(BACKLOG_BUCKETS, numbers.by_age, strict=True)
        ],
    )


def priorities() -> list[tuple[int, str]]:
    return list(reversed(Priority.choices))


@dataclass
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    show_label: bool


def bars(series: Series, *, width: int = 640, height: int = 160, every: int = 1) -> list[Bar]:
    """Where each bar of a bar chart goes in an SVG of `width` x `height` (the labels go
    below, in the template); every `every`-th label is written under its bar."""
    count = max(len(series.points), 1)
    slot = width / count
    top = series.maximum or 1
    result = []
    for index, (label, value) in enumerate(series.points):
        bar_height = height * value / top
        result.append(
            Bar(
                label=label,
                value=value,
                x=round(index * slot + slot * 0.1, 1),
                y=round(height - bar_height, 1),
                width=round(slot * 0.8, 1),
                height=round(bar_height, 1),
                show_label=index % every == 0,
            )
        )
    return result
