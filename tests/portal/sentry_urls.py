"""A page that fails, for tests/portal/test_error_reports.py (not in the portal's URLs)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("tests.sentry")


@csrf_exempt  # posted like a webhook
def fail(request: HttpRequest) -> HttpResponse:
    pin = request.POST.get("pin", "")  # secrets in local variables of the failing frame
    api_secret = request.headers.get("Authorization", "")
    logger.info("checking %s", request.path)
    raise RuntimeError(f"the page failed after reading {len(pin) + len(api_secret)} characters")


urlpatterns = [path("fail/", fail)]
