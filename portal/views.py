import prometheus_client
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from accounts import selectors as account_selectors
from accounts.services import user_language_set
from portal import metrics as portal_metrics
from tickets import selectors as ticket_selectors


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("portal:dashboard")
    return render(request, "portal/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # The page shows the login's company.
    account_selectors.with_customer(request.user)
    return render(
        request,
        "portal/dashboard.html",
        {"open_requests": ticket_selectors.customer_open_tickets(user=request.user, limit=5)},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the login."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language != user.language and language in dict(settings.LANGUAGES):
        user_language_set(user=user, acting_user=user, language=language)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape. Off (404) unless METRICS_ALLOWED_IPS or METRICS_TOKEN is set,
    and 404 to anyone else, as for any page one may not see."""
    if not portal_metrics.metrics_enabled() or not portal_metrics.metrics_reader_allowed(request):
        raise Http404
    return HttpResponse(
        portal_metrics.exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context (no session, user or PIN bar), so that it
    shows when the database or the cache is what failed; in the language already chosen."""
    try:
        page = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    except Exception:
        # Whatever broke the page broke this one too (a deployment without its static
        # files): a few words rather than the server's bare error.
        page = "<!DOCTYPE html><title>Error</title><h1>Something went wrong</h1>"
    return HttpResponse(page, status=500)
