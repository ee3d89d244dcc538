from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpcentre import search, selectors, services
from helpcentre.models import DEFAULT_LANGUAGE, Feedback, Section
from tickets.sla import BusinessHours

ANSWERED_COOKIE = "help_answered"
_ANSWERED_SALT = "helpcentre.answered"
_ANSWERED_KEPT = 500
SEARCH_RESULTS = 20
SUGGESTIONS = 5
FROM_REQUEST = "request"


def _language() -> str:
    language = get_language() or DEFAULT_LANGUAGE
    return language if language in search.CONFIGURATIONS else DEFAULT_LANGUAGE


def _answered(request: HttpRequest) -> list[int]:
    """The articles this browser has answered "Was this helpful?" for. The list lives in
    a signed cookie, so nothing about the reader is stored on our side."""
    value = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=_ANSWERED_SALT)
    return [int(part) for part in value.split(",") if part.isdigit()]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.help_home(user=request.user, language=_language())
    return render(request, "helpcentre/home.html", context)


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section, slug=slug)
    entries = selectors.section_articles(user=request.user, section=section, language=_language())
    if not entries:
        raise Http404
    return render(request, "helpcentre/section.html", {"section": section, "entries": entries})


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.article_page(user=request.user, slug=slug, language=_language())
    if page is None:
        raise Http404
    services.article_record_view(article=page.article)
    return render(
        request,
        "helpcentre/article.html",
        {
            "page": page,
            "answered": page.article.pk in _answered(request),
            "from_request": request.GET.get("from") == FROM_REQUEST
            and request.user.is_authenticated
            and request.user.customer_id is not None,
        },
    )


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.article_page(user=request.user, slug=slug, language=_language())
    if page is None:
        raise Http404
    answer = request.POST.get("answer", "")
    kinds = {
        "yes": Feedback.Kind.HELPFUL,
        "no": Feedback.Kind.NOT_HELPFUL,
        "solved": Feedback.Kind.DEFLECTION,
    }
    if answer not in kinds:
        return redirect("helpcentre:article", slug=slug)
    answered = _answered(request)
    if page.article.pk not in answered:
        services.feedback_record(article=page.article, kind=kinds[answer], language=_language())
        answered.append(page.article.pk)
    if answer == "solved":
        messages.success(request, _("We are glad the article solved it. No request was opened."))
    else:
        messages.success(request, _("Thank you for your answer."))
    response = redirect("helpcentre:article", slug=slug)
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(map(str, answered[-_ANSWERED_KEPT:])),
        salt=_ANSWERED_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    return response


@require_GET
def search_results(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: search.MAX_QUERY_LENGTH]
    language = _language()
    searchable = search.is_searchable(query)
    hits = []
    if searchable:
        hits = search.search(
            query=query,
            language=language,
            include_internal=selectors.can_see_internal(request.user),
            limit=SEARCH_RESULTS,
        )
        if not hits:
            services.unanswered_search_record(query=query, language=language)
    return render(
        request,
        "helpcentre/search.html",
        {
            "query": query,
            "searchable": searchable,
            "too_short": bool(query.strip()) and not searchable,
            "hits": hits,
            "min_length": search.MIN_QUERY_LENGTH,
        },
    )


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Articles for the subject a customer is typing: an HTML fragment for the
    new-request form's script."""
    hits = search.search(
        query=request.GET.get("q", ""),
        language=_language(),
        include_internal=False,
        limit=SUGGESTIONS,
        any_word=True,
        snippets=False,
    )
    return render(
        request,
        "helpcentre/includes/suggestions.html",
        {"hits": hits, "from_request": FROM_REQUEST},
    )


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calendar_years = [today.year, today.year + 1]
    plans, rows = selectors.response_times()
    return render(
        request,
        "helpcentre/contact.html",
        {
            "closed_days": [
                day
                for day in selectors.closed_weekdays(years=calendar_years, language=_language())
                if day.day >= today
            ],
            "years": calendar_years,
            "hours": _opening_hours(),
            "plans": plans,
            "rows": rows,
        },
    )


def _opening_hours() -> dict:
    """The tickets' business hours, with a date for the first and the last working day
    of a week so that the template names them in the reader's language."""
    hours = BusinessHours()
    a_monday = date(2024, 1, 1)
    return {
        "first_day": a_monday + timedelta(days=min(hours.workdays)),
        "last_day": a_monday + timedelta(days=max(hours.workdays)),
        "opens": hours.opens,
        "closes": hours.closes,
        "time_zone": hours.tz,
    }


@require_GET
def priorities(request: HttpRequest) -> HttpResponse:
    return render(request, "helpcentre/priorities.html", {"priorities": selectors.priorities()})
