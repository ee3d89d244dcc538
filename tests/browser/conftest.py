"""Playwright driving Debian's Chromium, headless, against pytest-django's live server.

Without Chromium the browser tests skip with the reason; with CI set they fail instead.
Every page a test shows is checked with axe-core and for Content-Security-Policy
violations (tests/browser/pagechecks.py); the test fails at teardown if one was found.
"""

import os
import shutil

import pytest

from tests.browser.chromium import require_chromium
from tests.browser.pagechecks import PageChecks
from tests.factories import logged_in, logged_in_verified

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    require_chromium(CHROMIUM, ci=bool(os.environ.get("CI")))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _enforced_content_security_policy(settings):
    """The browser sees the policy production enforces, whatever DEBUG was at start-up."""
    policy = settings.CONTENT_SECURITY_POLICY or settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY = policy
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


@pytest.fixture
def page_checks():
    return PageChecks()


@pytest.fixture
def new_page(browser, live_server, page_checks):
    """Open a page in a fresh browser context (its own cookies): one per person in a story.
    Each page it shows is checked (axe-core, CSP, width) before the browser leaves it."""
    contexts = []

    def open_page(locale: str = "en-GB", **options):
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(60_000)
        page_checks.watch(context)
        contexts.append(context)
        return context.new_page()

    yield open_page
    page_checks.finish()
    for context in contexts:
        context.close()
    if page_checks.problems:
        pytest.fail("\n".join(page_checks.problems), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(live_server, settings):
    """Log `user` in in the browser context of `page` without going through the form;
    staff past the second step, as the admin requires."""

    def log_in_page(page, user) -> None:
        client = logged_in_verified(user) if user.is_staff else logged_in(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return log_in_page
