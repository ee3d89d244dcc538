"""The admin's navigation sidebar, written by the `nav_sidebar` tag and built from a list of
apps whose URLs are reversed once per process: the same list as Django's, and the same
HTML as Django's templates, in English and Greek, for a superuser, a staff member with
some permissions and one with none."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import translation

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PATHS = ["/admin/tickets/ticket/1/change/", "/admin/accounts/", "/admin/caf%C3%A9/"]


def people():
    clerk = make_user("carl.clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_customer", "add_customer", "view_user"])
    )
    return [
        make_user("sam.super", is_staff=True, is_superuser=True),
        make_user("anna.agent", is_staff=True),
        clerk,
        make_user("nina.nobody", is_staff=True, is_active=False),
    ]


def request_for(user, path):
    request = RequestFactory().get(path)
    request.user = user
    return request


def as_django_builds_it(request) -> list:
    """Django's own get_app_list, with each lazy name as the text it shows."""
    apps = sorted(
        AdminSite._build_app_dict(admin.site, request).values(), key=lambda x: x["name"].lower()
    )
    for app in apps:
        app["models"].sort(key=lambda x: x["name"])
        for model in app["models"]:
            model["name"] = str(model["name"])
    return apps


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_list_of_apps_is_djangos(language):
    for user in people():
        for path in PATHS:
            with translation.override(language):
                request = request_for(user, path)
                assert admin.site.get_app_list(request) == as_django_builds_it(request)


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_sidebar_tag_writes_what_djangos_templates_write(language):
    tag = Template("{% load admin_sidebar %}{% nav_sidebar %}")
    seen_empty = False
    for user in people():
        for path in PATHS:
            with translation.override(language):
                request = request_for(user, path)
                context = {"available_apps": admin.site.get_app_list(request), "request": request}
                seen_empty |= not context["available_apps"]
                ours = tag.render(Context(context))
                djangos = render_to_string("admin/nav_sidebar.html", context)
                assert parse_html(ours) == parse_html(djangos)
                if "/tickets/" in path and context["available_apps"]:
                    assert 'aria-current="page"' in ours
    assert seen_empty
