"""{% site_header %}: the header of every page (the brand, the navigation, the language
switch and the account menu), rendered once for each language and kind of visitor and then
kept in the process.

The header is the same for every visitor of one kind on one section of the site but for
three values: the login's name, the CSRF token of its two forms and the address the
language switch returns to. It is rendered with a marker in place of each and kept; a
request puts its own values in. Rendering it took about 0.6 ms of every page (twelve
URLs, twenty translations, the language list, two CSRF tokens: bench/RESULTS.md).
"""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.models import User
from portal.kept import KeptFragments, mark

register = template.Library()

USERNAME_MARK = mark("username")
CSRF_MARK = mark("csrf")
NEXT_PATH_MARK = mark("next")

# Each key is a language, a kind of visitor and a section: a few hundred at most.
_headers = KeptFragments(limit=1024)


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> str:
    request = context["request"]
    user = context["user"]
    match = request.resolver_match
    authenticated = user.is_authenticated
    customer = authenticated and not user.is_staff
    values = {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_CODE": get_language(),
        "authenticated": authenticated,
        "customer": customer,
        "staff": authenticated and user.is_staff,
        "customer_owner": customer and user.is_customer_owner,
        "url_name": match.url_name if match else None,
        "app_name": match.app_name if match else None,
    }
    # The customer permissions, for the links the navigation shows to a login holding one.
    holds = {
        name: customer and user.has_customer_permission(name) for name in User.CUSTOMER_PERMISSIONS
    }
    key = (get_urlconf(), get_script_prefix(), *values.values(), *holds.values())
    marks = {"username": USERNAME_MARK, "csrf_token": CSRF_MARK, "next_path": NEXT_PATH_MARK}
    header = _headers.get(
        key,
        lambda: render_to_string(
            "includes/site_header.html", {**values, **marks, "holds": holds}
        ).strip(),
    )
    header = header.replace(NEXT_PATH_MARK, escape(request.get_full_path()))
    if CSRF_MARK in header:
        header = header.replace(CSRF_MARK, escape(get_token(request)))
    if authenticated:
        header = header.replace(USERNAME_MARK, escape(user.get_username()))
    return mark_safe(header)  # noqa: S308 (the header's template escaped; the values above too)
