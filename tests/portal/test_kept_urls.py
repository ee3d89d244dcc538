"""{% url %} keeping the URLs without arguments (portal/templatetags/kept_urls.py): the
same URLs as Django's tag, for each URLconf, script prefix and admin namespace."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, path, reverse, set_script_prefix

from portal.templatetags import kept_urls


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_url_without_arguments_is_djangos_and_kept():
    kept_urls._kept.clear()

    assert render("{% url 'tickets:list' %}") == reverse("tickets:list") == "/tickets/"
    assert render("{% url 'tickets:list' %}") == "/tickets/"
    assert ("tickets:list", None, "portal.urls", "/") in kept_urls._kept


def test_a_url_with_arguments_is_reversed_each_time():
    source = "{% url 'tickets:detail' reference %}"

    assert render(source, reference="T-26-00001") == "/tickets/T-26-00001/"
    assert render(source, reference="T-26-00002") == "/tickets/T-26-00002/"


def test_the_script_prefix_in_use_is_the_urls():
    try:
        set_script_prefix("/support/")
        assert render("{% url 'tickets:list' %}") == "/support/tickets/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'tickets:list' %}") == "/tickets/"


urlpatterns = [path("elsewhere/", lambda request: None, name="elsewhere")]


def test_another_urlconf_gives_its_own_urls():
    assert render("{% url 'elsewhere' as there %}{{ there }}") == ""
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'elsewhere' %}") == "/elsewhere/"


def test_a_name_that_does_not_reverse_fails_as_with_djangos_tag():
    for _ in range(2):  # the failure is kept too
        with pytest.raises(NoReverseMatch):
            render("{% url 'no-such-page' %}")
        assert render("{% url 'no-such-page' as there %}[{{ there }}]") == "[]"


def test_the_admins_namespace_is_the_requests():
    request = RequestFactory().get("/admin/")
    request.current_app = "admin"
    source = "{% url 'admin:index' %}"

    assert Template(source).render(Context({"request": request})) == reverse("admin:index")


def test_a_url_is_escaped_where_the_page_escapes():
    kept_urls._kept[("fake:amp", None, "portal.urls", "/")] = "/a&b/"
    try:
        assert render("{% url 'fake:amp' %}") == "/a&amp;b/"
        assert render("{% autoescape off %}{% url 'fake:amp' %}{% endautoescape %}") == "/a&b/"
    finally:
        kept_urls._kept.clear()
