import pytest
from django.core import mail

from sms.backends import locmem
from supportpin.models import SupportPin
from tests.factories import TWILIO_SID, TWILIO_TOKEN, activate_pin
from tests.twilio_standin import TwilioStandin


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS go to a list, as email goes to mail.outbox."""
    settings.SMS_BACKEND = "sms.backends.locmem.LocmemBackend"
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def mailbox():
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def twilio_standin(settings):
    standin = TwilioStandin().start()
    settings.SMS_BACKEND = "sms.backends.twilio.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = standin.base_url
    yield standin
    standin.stop()


@pytest.fixture
def owner_pin(owner) -> SupportPin:
    return activate_pin(owner)


@pytest.fixture
def eager_retries():
    """Let in-process tasks retry as a worker would, instead of raising Retry."""
    from portal.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
