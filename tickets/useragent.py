"""A readable browser and device from a User-Agent header, to prefill a new request.

Only a suggestion the customer can correct, so a few well-known patterns are enough.
"""

import re

from django.utils.translation import gettext_lazy as _

_BROWSERS = [
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\w+ )?Safari/")),
]
# The first pattern that matches names the device; Apple's device names are not translated.
_DEVICES = [
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"Android(?=.*Mobile)|Mobile(?=.*Android)"), _("Android phone")),
    (re.compile(r"Android"), _("Android tablet")),
    (re.compile(r"Windows NT"), _("Windows computer")),
    (re.compile(r"Macintosh|Mac OS X"), _("Mac computer")),
    (re.compile(r"CrOS"), _("ChromeOS computer")),
    (re.compile(r"Linux"), _("Linux computer")),
]


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser, device) in the active language, e.g. ("Firefox 128", "Windows computer");
    empty when unknown."""
    browser = ""
    for name, pattern in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            browser = f"{name} {match.group(1)}"
            break
    device = next((str(name) for pattern, name in _DEVICES if pattern.search(user_agent)), "")
    return browser, device
