"""Reads of the help centre, each constant in queries."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext

from accounts.models import Customer, User
from helpcentre.models import DEFAULT_LANGUAGE, Article, ArticleVersion, Feedback, Section
from tickets import selectors as ticket_selectors
from tickets.models import (
    PRIORITY_DEFINITIONS,
    CalendarException,
    Channel,
    Priority,
    SlaPolicy,
    Ticket,
)


def can_see_internal(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def visible_articles(user: User) -> QuerySet[Article]:
    """What `user` may read: published articles, the internal ones to staff only."""
    articles = Article.objects.filter(status=Article.Status.PUBLISHED)
    if not can_see_internal(user):
        articles = articles.filter(is_internal=False)
    return articles


def with_local_versions(articles: QuerySet[Article], language: str) -> QuerySet[Article]:
    """Prefetch the version in `language` and the English one; see `local_version`."""
    return articles.prefetch_related(
        Prefetch(
            "versions",
            queryset=ArticleVersion.objects.filter(language__in={language, DEFAULT_LANGUAGE}).defer(
                "body", "body_text", "search_vector"
            ),
            to_attr="candidate_versions",
        )
    )


def local_version(article: Article, language: str) -> ArticleVersion | None:
    """The version in `language`, or the English one when there is none."""
    versions = {version.language: version for version in article.candidate_versions}
    return versions.get(language) or versions.get(DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Entry:
    """An article in a list: the version to show and whether it is the fallback."""

    article: Article
    version: ArticleVersion
    is_fallback: bool


def _entries(articles: QuerySet[Article], language: str) -> list[Entry]:
    entries = []
    for article in with_local_versions(articles, language):
        version = local_version(article, language)
        if version is not None:
            entries.append(Entry(article, version, version.language != language))
    return entries


def help_home(*, user: User, language: str, popular: int = 5) -> dict:
    articles = visible_articles(user)
    sections = list(
        Section.objects.annotate(
            article_count=Count("articles", filter=Q(articles__in=articles))
        ).filter(article_count__gt=0)
    )
    top = articles.order_by("-view_count", "pk")[:popular]
    return {"sections": sections, "popular": _entries(top, language)}


def section_articles(*, user: User, section: Section, language: str) -> list[Entry]:
    return _entries(visible_articles(user).filter(section=section), language)


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    version: ArticleVersion
    is_fallback: bool
    related: list[Entry]


def article_page(*, user: User, slug: str, language: str) -> ArticlePage | None:
    article = (
        visible_articles(user)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ArticleVersion.objects.filter(
                    language__in={language, DEFAULT_LANGUAGE}
                ).defer("search_vector"),
                to_attr="candidate_versions",
            )
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        return None
    version = local_version(article, language)
    if version is None:
        return None
    related = _entries(visible_articles(user).filter(related=article), language)
    return ArticlePage(article, version, version.language != language, related)


def article_statistics() -> QuerySet[Article]:
    """Articles with their helpful votes, unhelpful votes and deflections."""
    return Article.objects.annotate(
        helpful_count=Count("feedback", filter=Q(feedback__kind=Feedback.Kind.HELPFUL)),
        not_helpful_count=Count("feedback", filter=Q(feedback__kind=Feedback.Kind.NOT_HELPFUL)),
        deflection_count=Count("feedback", filter=Q(feedback__kind=Feedback.Kind.DEFLECTION)),
    )


@dataclass(frozen=True)
class WeekOfDeflections:
    week: date
    deflections: int
    requests: int

    @property
    def rate(self) -> float | None:
        """Of the customers who were about to write, the share an article answered."""
        total = self.deflections + self.requests
        return self.deflections / total if total else None


def deflection_rate_by_week(*, now: datetime, weeks: int = 12) -> list[WeekOfDeflections]:
    since = now - timedelta(weeks=weeks)
    deflections = dict(
        Feedback.objects.filter(kind=Feedback.Kind.DEFLECTION, created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(count=Count("id"))
        .values_list("week", "count")
    )
    requests = dict(
        Ticket.objects.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(count=Count("id"))
        .values_list("week", "count")
    )
    weeks_seen = sorted({_as_date(week) for week in [*deflections, *requests]}, reverse=True)
    by_day_d = {_as_date(week): count for week, count in deflections.items()}
    by_day_r = {_as_date(week): count for week, count in requests.items()}
    return [
        WeekOfDeflections(week, by_day_d.get(week, 0), by_day_r.get(week, 0)) for week in weeks_seen
    ]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class ClosedDay:
    day: date
    name: str


def closed_weekdays(*, years: list[int], language: str) -> list[ClosedDay]:
    """The working days of `years` on which the desk is closed, by the tickets' business
    calendar (Greek public holidays and the supervisors' exceptions), named in
    `language` where the holidays package can."""
    calendar = ticket_selectors.business_calendar()
    reasons = dict(
        CalendarException.objects.filter(day__year__in=years, is_open=False).values_list(
            "day", "reason"
        )
    )
    names = holidays.country_holidays(
        "GR", years=years, language="el" if language == "el" else "en_US"
    )
    closed = []
    day = date(min(years), 1, 1)
    last = date(max(years), 12, 31)
    while day <= last:
        if day.weekday() in calendar.workdays and not calendar.is_open_on(day):
            closed.append(ClosedDay(day, names.get(day) or reasons.get(day, "")))
        day += timedelta(days=1)
    return closed


@dataclass(frozen=True)
class ResponseRow:
    priority: str
    definition: str
    policies: list[SlaPolicy | None]


def response_times() -> tuple[list[str], list[ResponseRow]]:
    """The SLA policies as a table: one column per plan, one row per priority of requests
    opened in the portal, and a last row for requests sent by email (seed 004)."""
    plans = list(Customer.Plan)
    policies = {(p.channel, p.plan, p.priority): p for p in SlaPolicy.objects.all()}
    rows = [
        ResponseRow(
            priority=priority.label,
            definition=PRIORITY_DEFINITIONS[priority],
            policies=[policies.get((Channel.PORTAL, plan.value, priority.value)) for plan in plans],
        )
        for priority in Priority
    ]
    rows.append(
        ResponseRow(
            priority=gettext("By email"),
            definition=gettext("Requests sent by email from your registered address."),
            policies=[policies.get((Channel.EMAIL, plan.value, Priority.NORMAL)) for plan in plans],
        )
    )
    return [plan.label for plan in plans], rows


def priorities() -> list[tuple[str, str]]:
    return [(priority.label, PRIORITY_DEFINITIONS[priority]) for priority in Priority]
