"""Re-authentication before a sensitive change (ASVS 3.7.1): the password again and,
where 2FA is on, a code or a passkey, unless the login proved who it is in the last
REAUTH_MINUTES. Put `reauthentication_required` on a view function, or
`ReauthenticationRequiredMixin` first among a class-based view's bases."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.mfa.flows import recently_authenticated


def _back_to(request: HttpRequest) -> str:
    # A form that posts comes back to the page it was sent from: its own address may take
    # no GET. The re-authentication view checks that the address is on this site.
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        if referer.netloc == request.get_host() and referer.path:
            return urlunsplit(("", "", referer.path, referer.query, ""))
    return request.get_full_path()


def reauthenticate_redirect(request: HttpRequest) -> HttpResponse:
    return reauthenticate_redirect_to(_back_to(request))


def reauthenticate_redirect_to(next_url: str) -> HttpResponse:
    """To re-authentication, then to `next_url` (a page to GET: a form posted to a view
    of its own comes back to the page that shows it)."""
    query = urlencode({"next": next_url})
    return redirect(f"{reverse('accounts:reauthenticate')}?{query}")


def reauthentication_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            return reauthenticate_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


class ReauthenticationRequiredMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            return reauthenticate_redirect(request)
        return super().dispatch(request, *args, **kwargs)
