"""{% admin_header %}: the admin's header (the site's name, the login's links and the
language switch: admin/base.html's header block with admin/base_site.html's branding and
userlinks, copied in admin/includes/header.html), rendered once for each language and kind
of login and then kept in the process, as {% site_header %} keeps the site's.

It is the same for every login of one kind but for three values: the login's name, the
CSRF token of its two forms and the address the language switch returns to. Rendering it
took about 2 ms of the agent's ticket page (five URLs, one of them the admin
documentation's, which does not exist and raises; the language list; two CSRF tokens).

Only a page whose template does not change the header's inner blocks may use it (the
ticket page); pages that do (the password change, the login) keep the templates.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.kept import KeptFragments, mark

register = template.Library()

NAME_MARK = mark("name")
CSRF_MARK = mark("csrf")
NEXT_PATH_MARK = mark("next")

# Each key is a language and a kind of login: a few dozen at most.
_headers = KeptFragments(limit=256)


@register.simple_tag(takes_context=True)
def admin_header(context: template.Context) -> str:
    request = context["request"]
    user = context["user"]
    # What the template reads of the login; its name is put in afterwards.
    login = {
        "is_anonymous": user.is_anonymous,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "has_usable_password": user.is_authenticated and user.has_usable_password(),
        "get_short_name": NAME_MARK,
    }
    values = {
        "LANGUAGE_CODE": get_language(),
        "has_permission": bool(context.get("has_permission")),
        "site_url": context.get("site_url"),
        "site_header": context.get("site_header"),
    }
    # The page's token (its forms all carry the same one); {% csrf_token %} writes no input
    # without one: such a page is rendered, not kept.
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's "no token" value
        return render_to_string(
            "admin/includes/header.html",
            {**values, "csrf_token": token, "request": request, "user": user},
        )
    key = (get_urlconf(), get_script_prefix(), *values.values(), *login.values())
    marks = {"csrf_token": CSRF_MARK, "request": {"get_full_path": NEXT_PATH_MARK}}
    header = _headers.get(
        key,
        lambda: render_to_string("admin/includes/header.html", {**values, **marks, "user": login}),
    )
    header = header.replace(NEXT_PATH_MARK, escape(request.get_full_path()))
    header = header.replace(CSRF_MARK, escape(str(token)))
    if NAME_MARK in header:
        # The template's {% firstof user.get_short_name user.get_username %}.
        name = user.get_short_name() or user.get_username()
        header = header.replace(NAME_MARK, conditional_escape(name))
    # The header's template escaped; the values above are escaped too.
    return mark_safe(header)  # noqa: S308
