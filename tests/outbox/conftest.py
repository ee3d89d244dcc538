import pytest

from tests.smtp_sink import SmtpSink


@pytest.fixture
def smtp_sink(settings):
    """The portal's mail server, for this test: a local SMTP sink."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()
