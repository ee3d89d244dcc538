import pytest
from django.core import mail

from portal.sms.backends import locmem
from supportpin.crypto import decrypt_secret
from supportpin.models import SupportPin
from supportpin.pin import support_pin_for
from supportpin.services import support_pin_activate
from tests.twilio_standin import TwilioStandin

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS go to a list, as email goes to mail.outbox."""
    settings.SMS_BACKEND = "portal.sms.backends.locmem.LocmemBackend"
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
    settings.SMS_BACKEND = "portal.sms.backends.twilio.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = TWILIO_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = standin.base_url
    yield standin
    standin.stop()


def activate_pin(user) -> SupportPin:
    return support_pin_activate(user=user, acting_user=user)


def pin_of(user, at=None) -> str:
    """The PIN `user` reads from the bar at `at` (now by default)."""
    from django.utils import timezone

    support_pin = SupportPin.objects.get(user=user)
    return support_pin_for(decrypt_secret(support_pin.encrypted_secret), at or timezone.now())


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
