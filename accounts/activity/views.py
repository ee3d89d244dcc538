from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.activity import selectors, services
from accounts.activity.flows import current_session_id
from accounts.mfa.services import remembered_browsers_forget
from accounts.models import LoginAttempt, SignedInSession
from portal.useragent import SYSTEMS


def _described(row: LoginAttempt | SignedInSession) -> LoginAttempt | SignedInSession:
    row.browser = f"{row.browser_family} {row.browser_version}".strip() or _("Unknown browser")
    row.system_name = SYSTEMS.get(row.system, "")
    return row


def security_activity(request: HttpRequest) -> dict[str, object]:
    """What the Security page shows of the login's sessions and history: two queries for
    the sessions and the page of history, whatever their number (plus the page's count)."""
    current = current_session_id(request)
    sessions = [_described(s) for s in selectors.signed_in_sessions(user=request.user)]
    history = selectors.login_history_page(
        user=request.user, number=request.GET.get("history_page")
    )
    for attempt in history:
        _described(attempt)
    return {
        "signed_in_sessions": sessions,
        "current_session_id": current,
        "other_sessions": any(s.pk != current for s in sessions),
        "login_history": history,
        "login_history_days": settings.LOGIN_HISTORY_DAYS,
    }


@require_POST
@login_required
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    if pk == current_session_id(request):
        raise Http404
    try:
        services.session_end(user=request.user, session_id=pk, acting_user=request.user)
    except SignedInSession.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("That device is signed out."))
    return redirect("accounts:security")


@require_POST
@login_required
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = services.sessions_end_others(
        user=request.user,
        keep_session_id=current_session_id(request),
        acting_user=request.user,
    )
    # A browser remembered for the second step would let a stolen password back in.
    remembered_browsers_forget(user=request.user, acting_user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s other device is signed out.",
            "%(count)s other devices are signed out.",
            count,
        )
        % {"count": count},
    )
    return redirect("accounts:security")
