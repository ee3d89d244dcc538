"""The browser and device suggested on a new request, read from the User-Agent and named
in the customer's language."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from portal.useragent import describe_user_agent

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
FIREFOX_ANDROID_PHONE = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
CHROME_CHROMEBOOK = (
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

GREEK = {
    "Windows computer": "υπολογιστής Windows",
    "Android phone": "κινητό Android",
    "Android tablet": "tablet Android",
}


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_WINDOWS, ("Firefox 128", "Windows computer")),
        (CHROME_ANDROID_PHONE, ("Chrome 126", "Android phone")),
        (FIREFOX_ANDROID_PHONE, ("Firefox 128", "Android phone")),
        (CHROME_ANDROID_TABLET, ("Chrome 126", "Android tablet")),
        (SAFARI_IPHONE, ("Safari 17", "iPhone")),
        (SAFARI_MAC, ("Safari 17", "Mac computer")),
        (EDGE_WINDOWS, ("Edge 126", "Windows computer")),
        (CHROME_CHROMEBOOK, ("Chrome 126", "ChromeOS computer")),
        (FIREFOX_LINUX, ("Firefox 128", "Linux computer")),
        ("curl/8.5.0", ("", "")),
    ],
)
def test_browser_and_device_are_read_from_the_user_agent(user_agent, expected):
    with translation.override("en"):
        assert describe_user_agent(user_agent) == expected


@pytest.fixture
def greek_device_names(monkeypatch):
    """The Greek names of the devices, whatever the catalogue says today: this checks that
    the names go through the translation, not the words chosen."""
    catalog = trans_real.translation("el")._catalog._catalogs[0]
    for english, greek in GREEK.items():
        monkeypatch.setitem(catalog, english, greek)


def test_the_device_is_named_in_the_language_of_the_page(greek_device_names):
    with translation.override("el"):
        assert describe_user_agent(FIREFOX_WINDOWS) == ("Firefox 128", "υπολογιστής Windows")
        assert describe_user_agent(CHROME_ANDROID_PHONE)[1] == "κινητό Android"
    with translation.override("en"):
        assert describe_user_agent(FIREFOX_WINDOWS)[1] == "Windows computer"


@pytest.mark.django_db
def test_a_greek_customer_gets_the_device_prefilled_in_greek(
    owner_client, owner, greek_device_names
):
    owner_client.cookies["django_language"] = "el"
    response = owner_client.get(
        reverse("tickets:create"), HTTP_USER_AGENT=CHROME_ANDROID_TABLET, HTTP_ACCEPT_LANGUAGE="el"
    )
    assert '<html lang="el">' in response.text
    assert 'value="tablet Android"' in response.text
    assert 'value="Chrome 126"' in response.text
