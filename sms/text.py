"""The text of an SMS, from a template of the caller's, in the recipient's language.

SMS templates live in `templates/<app>/sms/*.txt`; each must fit in one segment in every
language (tests/sms/test_segments.py renders them all, see sms.encoding)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_sms(template_name: str, context: dict, language: str | None) -> str:
    """`template_name` rendered in `language`, on one line. The context gets SITE_NAME;
    it must carry nothing a customer typed (a login name, a company name): an SMS from
    the portal must not carry a stranger's words to whatever number they gave."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(template_name, {"SITE_NAME": settings.SITE_NAME, **context})
    return " ".join(text.split())
