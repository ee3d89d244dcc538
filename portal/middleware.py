from collections.abc import Callable, Iterator

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivatePagesMiddleware:
    """Pages for a logged-in user carry their personal data (and the Support PIN bar):
    no shared or browser cache may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


_NUL = "\x00"


def _texts_of(request: HttpRequest) -> Iterator[str]:
    """Every name and value the request carries, apart from its path and its files (whose
    names Django strips of unprintable characters)."""
    yield from request.COOKIES.keys()
    yield from request.COOKIES.values()
    yield from request.headers.values()
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            yield key
            yield from values


class NulCharacterGuardMiddleware:
    """PostgreSQL cannot store or compare text with a NUL character in it and answers a
    query that has one with an error, which the visitor would get as a server error. No
    person types one, so the request stops here, before any view, form or admin filter
    builds a query from it: a URL with one names no page (404); a query parameter, a form
    field, a cookie or a header with one makes the request malformed (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Checked first: the 404 page reads the session, whose key comes from a cookie.
        if any(_NUL in text for text in _texts_of(request)):
            raise BadRequest("A NUL character in the request.")
        if _NUL in request.path_info:
            raise Http404
        return self.get_response(request)
