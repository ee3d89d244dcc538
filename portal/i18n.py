from django.conf import settings
from django.http import HttpRequest, HttpResponse


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Make `language` the one the portal speaks to this browser from the next request."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
