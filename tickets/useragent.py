"""A readable browser and device from a User-Agent header, to prefill a new request.

Only a suggestion the customer can correct, so a few well-known patterns are enough.
"""

import re

_BROWSERS = [
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\w+ )?Safari/")),
]
_SYSTEMS = [
    ("iPad", re.compile(r"iPad")),
    ("iPhone", re.compile(r"iPhone")),
    ("Android", re.compile(r"Android(?: (\d+))?")),
    ("Windows", re.compile(r"Windows NT")),
    ("Mac", re.compile(r"Macintosh|Mac OS X")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux")),
]


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser, device), e.g. ("Firefox 128", "Windows computer"); empty when unknown."""
    browser = ""
    for name, pattern in _BROWSERS:
        match = pattern.search(user_agent)
        if match:
            browser = f"{name} {match.group(1)}"
            break
    device = ""
    for name, pattern in _SYSTEMS:
        if pattern.search(user_agent):
            if name in ("iPad", "iPhone"):
                device = name
            elif name == "Android":
                device = "Android tablet" if "Mobile" not in user_agent else "Android phone"
            else:
                device = f"{name} computer"
            break
    return browser, device
