"""Every SMS the portal sends fits in one segment, in every language (issue 8): 160 GSM-7
characters (the extension table's count twice), or 70 UTF-16 units once a character
outside GSM-7 makes the text UCS-2, as Greek does.

Every template under templates/**/sms/ is rendered in en, el, it and sk with the longest
realistic values: the default SITE_NAME, a grouped code or PIN, the widest time, and
each plural form of the minutes the settings name."""

from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone

from sms.encoding import sms_segments
from sms.text import render_sms

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SMS_TEMPLATES = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.glob("**/sms/*.txt"))
LANGUAGES = ["en", "el", "it", "sk"]
MISSING = "!MISSING!"
# The default of the SITE_NAME setting; a deployment's own name, if longer, is tried instead.
DEFAULT_SITE_NAME = "Support Portal"


def longest_contexts() -> list[dict]:
    """The values an SMS can carry at their longest, once for each plural form."""
    values = {
        "pin": "888 888",
        "code": "888 888",
        # 23:59 where the portal is: the widest "H:i".
        "until": datetime(2025, 12, 31, 23, 59, tzinfo=timezone.get_current_timezone()),
    }
    minutes = {
        1,
        2,
        5,
        settings.MOBILE_VERIFICATION_MINUTES,
        settings.TWO_FACTOR_SMS_CODE_MINUTES,
    }
    return [{**values, "minutes": n} for n in sorted(minutes)]


@pytest.fixture(autouse=True)
def _default_site_name_and_no_missing_values(settings):
    settings.SITE_NAME = max(settings.SITE_NAME, DEFAULT_SITE_NAME, key=len)
    engine = engines["django"].engine
    previous = engine.string_if_invalid
    engine.string_if_invalid = MISSING
    yield
    engine.string_if_invalid = previous


def test_the_sms_templates_are_found():
    assert set(SMS_TEMPLATES) >= {
        "supportpin/sms/pin.txt",
        "accounts/sms/mobile_code.txt",
        "accounts/sms/mobile_change.txt",
        "accounts/sms/two_factor_code.txt",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", SMS_TEMPLATES)
def test_every_sms_fits_in_one_segment(template, language):
    for context in longest_contexts():
        text = render_sms(template, context, language)
        segments = sms_segments(text)

        assert MISSING not in text
        assert segments.count == 1, f"{template} [{language}] {segments}: {text}"


@pytest.mark.parametrize("language", ["el", "it", "sk"])
@pytest.mark.parametrize("template", SMS_TEMPLATES)
def test_every_sms_is_translated(template, language):
    context = longest_contexts()[-1]
    assert render_sms(template, context, language) != render_sms(template, context, "en")


def test_greek_is_sent_as_ucs2_and_english_as_gsm7():
    context = longest_contexts()[-1]
    assert sms_segments(render_sms("supportpin/sms/pin.txt", context, "el")).encoding == "UCS-2"
    assert sms_segments(render_sms("supportpin/sms/pin.txt", context, "en")).encoding == "GSM-7"


@pytest.mark.parametrize(
    ("text", "encoding", "length", "count"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        # The extension table's characters take two septets.
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 80 + "a", "GSM-7", 161, 2),
        ("Δ" * 160, "GSM-7", 160, 1),
        ("àèéìòù ÄÖÑÜ" * 10, "GSM-7", 110, 1),
        ("λ" * 70, "UCS-2", 70, 1),
        ("λ" * 71, "UCS-2", 71, 2),
        ("λ" * 134, "UCS-2", 134, 2),
        ("λ" * 135, "UCS-2", 135, 3),
        # One Slovak letter outside GSM-7 makes the whole text UCS-2.
        ("a" * 69 + "š", "UCS-2", 70, 1),
        # Outside the BMP, a character takes two UTF-16 units.
        ("😀" * 35, "UCS-2", 70, 1),
        ("😀" * 36, "UCS-2", 72, 2),
    ],
)
def test_segments_are_counted_as_the_networks_count_them(text, encoding, length, count):
    segments = sms_segments(text)
    assert (segments.encoding, segments.length, segments.count) == (encoding, length, count)
