"""The browser tests skip with a clear reason without Chromium, and fail instead in CI."""

import pytest

from tests.browser.chromium import require_chromium

MISSING = "/nonexistent/chromium"


def test_without_chromium_the_browser_tests_skip_and_say_how_to_install_it():
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium(MISSING, ci=False)


def test_without_chromium_in_ci_the_browser_tests_fail_instead_of_skipping():
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        require_chromium(MISSING, ci=True)


def test_with_chromium_present_nothing_is_skipped(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.touch()
    for ci in (True, False):
        # A skip raised here would be reported as a skipped test, not a failure.
        try:
            require_chromium(str(chromium), ci=ci)
        except (pytest.skip.Exception, pytest.fail.Exception) as outcome:
            pytest.fail(f"Chromium is present, yet the browser tests would stop: {outcome}")
