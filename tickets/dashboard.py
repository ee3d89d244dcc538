"""The agents' dashboard: the numbers of now and the charts, each read in a fixed number
of queries whatever the number of tickets.

The numbers of now and the backlog age are counted live by the database, in one pass over
the open requests. The charts' history (opened, solved, first answers in time, business
hours to a first answer) is read from the summary rows the hourly beat job keeps for each
past day (DayFigures, recomputed from the tickets and messages by the same function,
figures_between); today, and any day the job has not summarised, is counted live.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from accounts.models import Customer, User
from tickets import selectors
from tickets.models import DayFigures, Priority, SlaPolicy, Ticket, TicketMessage
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
    # A value of None: nothing to measure (a week without any first answer), not zero.
    points: list[tuple[str, float | None]] = field(default_factory=list)
    # The top of the scale when it is fixed (100 for a share), so that charts compare.
    ceiling: float | None = None

    @property
    def maximum(self) -> float:
        if self.ceiling is not None:
            return self.ceiling
        return max((value for _label, value in self.points if value is not None), default=0)


def now_numbers(*, agent: User, now: datetime) -> Now:
    """One pass over the open requests: counted per priority and status, and each count of
    now within those groups (an answer is owed only on an open request). Only the columns
    of the index tickets_open_now are named (the priority, never NULL, is what is
    counted), so that PostgreSQL reads the index alone."""
    active = Q(status__in=Ticket.ACTIVE_STATUSES)
    rows = list(
        Ticket.objects.filter(active)
        .values("priority", "status")
        .annotate(
            n=Count("priority"),
            overdue=Count("priority", filter=Q(response_due_at__lt=now)),
            due_soon=Count("priority", filter=selectors.due_within(now=now, within=DUE_SOON)),
            unassigned=Count("priority", filter=Q(assignee__isnull=True)),
            mine=Count("priority", filter=Q(assignee=agent)),
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
        counts[f"age{index}"] = Count("priority", filter=condition)
        older_than = younger_than
    return counts


Key = tuple[date, str, int]  # an Athens day, a plan, a priority


@dataclass
class Figures:
    """What happened on one day to the requests of one plan and priority (DayFigures)."""

    opened: int = 0
    solved: int = 0
    first_answers: int = 0
    first_answers_in_time: int = 0
    first_answer_hours: list[float] = field(default_factory=list)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ATHENS)


def _within(column: str, start: datetime, end: datetime | None) -> Q:
    condition = Q(**{f"{column}__gte": start})
    if end is not None:
        condition &= Q(**{f"{column}__lt": end})
    return condition


def _first_replies():
    """Each ticket's first answer whose timeliness was recorded: no such answer before it."""
    earlier = TicketMessage.objects.filter(
        ticket=OuterRef("ticket"), sla_met__isnull=False, created_at__lt=OuterRef("created_at")
    )
    return TicketMessage.objects.filter(sla_met__isnull=False).exclude(Exists(earlier))


def figures_between(start: datetime, end: datetime | None = None) -> dict[Key, Figures]:
    """Counted from the tickets and messages: per Athens day, plan and priority, the
    requests opened and solved from `start` until `end` (or now), the first answers given
    and in time, and the business hours each first answer took. A fixed number of queries;
    only the business hours are computed in Python, as the calendar lives there
    (tickets/sla.py)."""
    figures: dict[Key, Figures] = {}

    def at(day: date, plan: str, priority: int) -> Figures:
        return figures.setdefault((day, plan, priority), Figures())

    for column, name in (("created_at", "opened"), ("resolved_at", "solved")):
        rows = (
            Ticket.objects.filter(_within(column, start, end))
            .annotate(day=TruncDate(column, tzinfo=ATHENS))
            .values_list("day", "customer__plan", "priority")
            .annotate(n=Count("id"))
            .order_by()
        )
        for day, plan, priority, n in rows:
            setattr(at(day, plan, priority), name, n)
    answers = (
        _first_replies()
        .filter(_within("created_at", start, end))
        .annotate(day=TruncDate("created_at", tzinfo=ATHENS))
        .values_list("day", "ticket__customer__plan", "ticket__priority")
        .annotate(total=Count("id"), kept=Count("id", filter=Q(sla_met=True)))
        .order_by()
    )
    for day, plan, priority, total, kept in answers:
        figure = at(day, plan, priority)
        figure.first_answers, figure.first_answers_in_time = total, kept
    answered = list(
        Ticket.objects.filter(_within("first_response_at", start, end)).values_list(
            "customer__plan", "priority", "created_at", "first_response_at"
        )
    )
    if answered:
        always = set(
            SlaPolicy.objects.filter(calendar=SlaPolicy.CalendarKind.AROUND_THE_CLOCK).values_list(
                "plan", "priority"
            )
        )
        last = max(when for *_rest, when in answered)
        elapsed = selectors.business_calendar().elapsed(
            min(created for _plan, _priority, created, _when in answered).astimezone(ATHENS).date(),
            last.astimezone(ATHENS).date(),
        )
        for plan, priority, created, when in answered:
            waited = (
                when - created if (plan, priority) in always else elapsed(when) - elapsed(created)
            )
            at(when.astimezone(ATHENS).date(), plan, priority).first_answer_hours.append(
                round(waited.total_seconds() / 3600, 4)
            )
    return figures


def _days(today: date) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(DAYS - 1, -1, -1)]


def _weeks(today: date) -> list[date]:
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=offset) for offset in range(WEEKS - 1, -1, -1)]


def first_day_charted(today: date) -> date:
    return min(_days(today)[0], _weeks(today)[0])


def history(*, now: datetime) -> dict[Key, Figures]:
    """The figures of every day the charts show: the days the beat job has summarised
    from their rows, the others (today, always) counted live from the first of them on.
    One read of at most 15 rows a day plus the queries of figures_between, whatever the
    number of tickets."""
    today = now.astimezone(ATHENS).date()
    first = first_day_charted(today)
    counts = ("opened", "solved", "first_answers", "first_answers_in_time")
    figures: dict[Key, Figures] = {
        (day, plan, priority): Figures(*numbers)
        for day, plan, priority, *numbers in DayFigures.objects.filter(
            day__gte=first, day__lt=today
        ).values_list("day", "plan", "priority", *counts, "first_answer_hours")
    }
    summarised = {day for day, _plan, _priority in figures}
    unsummarised = next(
        first + timedelta(days=n)
        for n in range((today - first).days + 1)
        if first + timedelta(days=n) not in summarised
    )
    for key, figure in figures_between(midnight(unsummarised)).items():
        if key[0] not in summarised:
            figures[key] = figure
    return figures


def days_to_summarise(*, now: datetime) -> list[date]:
    """The past days the charts show, each summarised again by the beat job (today is
    always counted live)."""
    today = now.astimezone(ATHENS).date()
    first = first_day_charted(today)
    return [first + timedelta(days=n) for n in range((today - first).days)]


def opened_and_solved(
    *, now: datetime, figures: dict[Key, Figures] | None = None
) -> tuple[Series, Series]:
    """Requests opened, and requests resolved, per Athens day over the last 30 days."""
    figures = history(now=now) if figures is None else figures
    opened: dict[date, int] = {}
    solved: dict[date, int] = {}
    for (day, _plan, _priority), figure in figures.items():
        opened[day] = opened.get(day, 0) + figure.opened
        solved[day] = solved.get(day, 0) + figure.solved
    days = _days(now.astimezone(ATHENS).date())
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


def first_response_kept(
    *, now: datetime, figures: dict[Key, Figures] | None = None
) -> list[Series]:
    """Per plan and priority (the most urgent first), the share of first answers given in
    time, per week (Monday, Athens) over the last 12 weeks; None for a week without any."""
    figures = history(now=now) if figures is None else figures
    weeks = _weeks(now.astimezone(ATHENS).date())
    kept: dict[tuple[str, int, date], list[int]] = {}
    for (day, plan, priority), figure in figures.items():
        counts = kept.setdefault((plan, priority, day - timedelta(days=day.weekday())), [0, 0])
        counts[0] += figure.first_answers_in_time
        counts[1] += figure.first_answers
    result = []
    for plan, plan_label in Customer.Plan.choices:
        for priority, priority_label in priorities():
            points: list[tuple[str, float | None]] = []
            for week in weeks:
                in_time, total = kept.get((plan, priority, week), (0, 0))
                points.append((f"{week:%d/%m}", round(100 * in_time / total) if total else None))
            result.append(
                Series(
                    _("First answers in time, %(plan)s plan, %(priority)s, per week (%%)")
                    % {"plan": plan_label, "priority": priority_label},
                    "%",
                    points,
                    ceiling=100,
                )
            )
    return result


def first_response_hours(*, now: datetime, figures: dict[Key, Figures] | None = None) -> Series:
    """Median and 90th percentile of the business hours to a first answer, per plan, over
    the tickets first answered in the last 30 days (Athens days, today included)."""
    figures = history(now=now) if figures is None else figures
    since = _days(now.astimezone(ATHENS).date())[0]
    hours: dict[str, list[float]] = {plan: [] for plan in Customer.Plan.values}
    for (day, plan, _priority), figure in figures.items():
        if day >= since:
            hours[plan] += figure.first_answer_hours
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
    value: float | None
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
        bar_height = height * (value or 0) / top
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
