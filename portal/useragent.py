"""A readable browser and system from a User-Agent header, read by ua-parser (the
regexes of the uap-core project, kept up to date upstream).

Used to prefill a new request (a suggestion the customer can correct) and to name the
browsers in the login history and the list of signed-in devices."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from ua_parser import parse

# ua-parser's families, as customers know the browsers; a family not named here (a
# script, a crawler) is no browser to suggest.
_BROWSERS = {
    "Edge": "Edge",
    "Edge Mobile": "Edge",
    "Opera": "Opera",
    "Opera Mobile": "Opera",
    "Samsung Internet": "Samsung Internet",
    "Firefox": "Firefox",
    "Firefox Mobile": "Firefox",
    "Firefox iOS": "Firefox",
    "Chrome": "Chrome",
    "Chrome Mobile": "Chrome",
    "Chrome Mobile iOS": "Chrome",
    "Chrome Mobile WebView": "Chrome",
    "HeadlessChrome": "Chrome",
    "Chromium": "Chromium",
    "Safari": "Safari",
    "Mobile Safari": "Safari",
    "Mobile Safari UI/WKWebView": "Safari",
}

# The kinds of system, each named in the language of the page; Apple's device names are
# not translated.
SYSTEMS = {
    "ipad": "iPad",
    "iphone": "iPhone",
    "android_phone": _("Android phone"),
    "android_tablet": _("Android tablet"),
    "windows": _("Windows computer"),
    "mac": _("Mac computer"),
    "chromeos": _("ChromeOS computer"),
    "linux": _("Linux computer"),
}


@dataclass(frozen=True)
class Client:
    """What a User-Agent says: the browser's family and major version ("Firefox", "128")
    and a key of SYSTEMS; empty when unknown."""

    browser_family: str
    browser_version: str
    system: str

    @property
    def browser(self) -> str:
        return f"{self.browser_family} {self.browser_version}".strip()

    @property
    def system_name(self) -> str:
        return str(SYSTEMS.get(self.system, ""))


def _system(os_family: str, device_family: str, user_agent: str) -> str:
    if device_family == "iPad" or "iPad" in user_agent:
        return "ipad"
    if device_family == "iPhone" or "iPhone" in user_agent:
        return "iphone"
    if os_family == "Android":
        return "android_phone" if "Mobile" in user_agent else "android_tablet"
    if os_family.startswith("Windows"):
        return "windows"
    if os_family in {"Mac OS X", "macOS"}:
        return "mac"
    if os_family == "Chrome OS":
        return "chromeos"
    if os_family in {"Linux", "Ubuntu", "Fedora", "Debian"}:
        return "linux"
    return ""


@lru_cache(maxsize=512)
def client_of(user_agent: str) -> Client:
    result = parse(user_agent or "")
    family = _BROWSERS.get(result.user_agent.family, "") if result.user_agent else ""
    version = (result.user_agent.major or "") if family else ""
    os_family = result.os.family if result.os else ""
    device_family = result.device.family if result.device else ""
    return Client(family, version, _system(os_family, device_family, user_agent or ""))


def describe_user_agent(user_agent: str) -> tuple[str, str]:
    """(browser, device) in the active language, e.g. ("Firefox 128", "Windows computer");
    empty when unknown."""
    client = client_of(user_agent)
    return client.browser, client.system_name
