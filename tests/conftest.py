"""Shared fixtures: people of a customer, staff, logged-in clients, and a client whose
requests commit, so that work queued with `transaction.on_commit` (emails, SMS) happens as
it does in production."""

import logging
from collections.abc import Iterator

import pytest
from django.utils import translation

from accounts.models import Customer, User
from portal.celery import app as celery_app
from sms.backends import locmem
from tests.factories import (
    CommittingClient,
    logged_in,
    logged_in_verified,
    make_customer,
    make_user,
)
from tests.logcapture import CapturedLogs
from tests.twilio_standin import TwilioStandin


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tests/portal/test_settings.py checks it); MD5
    # keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (see tests/integration)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _language_of_the_test_alone():
    """A request through the test client leaves its language active in the thread, as
    LocaleMiddleware does not switch back: each test starts in the default language."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """SMS go to a list, as email goes to mail.outbox."""
    settings.SMS_BACKEND = "sms.backends.locmem.LocmemBackend"
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def client() -> CommittingClient:
    return CommittingClient()


@pytest.fixture
def customer(db) -> Customer:
    return make_customer(contract_number="C-1001", plan=Customer.Plan.PREMIUM)


@pytest.fixture
def owner(customer) -> User:
    return make_user("olga.owner", customer=customer, role=User.Role.OWNER, mobile="+306912345678")


@pytest.fixture
def member(customer) -> User:
    return make_user("mario.member", customer=customer, role=User.Role.MEMBER)


@pytest.fixture
def other_customer(db) -> Customer:
    return make_customer(name="Other Ltd", contract_number="C-2002")


@pytest.fixture
def other_owner(other_customer) -> User:
    return make_user("oscar.other", customer=other_customer, role=User.Role.OWNER)


@pytest.fixture
def agent(db) -> User:
    return make_user("anna.agent", is_staff=True)


@pytest.fixture
def supervisor(db) -> User:
    return make_user("sam.supervisor", is_staff=True, is_superuser=True)


@pytest.fixture
def owner_client(owner) -> CommittingClient:
    return logged_in(owner)


@pytest.fixture
def member_client(member) -> CommittingClient:
    return logged_in(member)


@pytest.fixture
def other_client(other_owner) -> CommittingClient:
    return logged_in(other_owner)


@pytest.fixture
def agent_client(agent) -> CommittingClient:
    return logged_in_verified(agent)


@pytest.fixture
def supervisor_client(supervisor) -> CommittingClient:
    return logged_in_verified(supervisor)


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server for the whole run (tests/s3_standin.py)."""
    from tests.s3_standin import S3Standin, in_ci, require_moto

    require_moto(ci=in_ci())
    server = S3Standin().wait_ready()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, monkeypatch):
    """A new bucket of the local S3 server, named by PRIVATE_STORAGE_URL with the prefix
    "private", while the portal still stores in the folder. Yields (boto3 client, bucket,
    prefix) to read the bucket behind the portal's back."""
    import uuid

    from tests.s3_standin import CREDENTIALS, client

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"portal-{uuid.uuid4().hex[:16]}"
    s3 = client(s3_server.endpoint)
    s3.create_bucket(
        Bucket=bucket,
        CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]},
    )
    region = CREDENTIALS["AWS_DEFAULT_REGION"]
    settings.PRIVATE_STORAGE_URL = (
        f"s3://{bucket}/private?endpoint={s3_server.endpoint}&region={region}"
    )
    yield s3, bucket, "private"


@pytest.fixture
def private_bucket(s3_bucket, settings):
    """Private files go to the bucket of `s3_bucket`, chosen as production chooses it:
    from PRIVATE_STORAGE_URL."""
    from portal.storage import private_storage_settings

    private = private_storage_settings(settings.PRIVATE_STORAGE_URL)
    settings.STORAGES = {**settings.STORAGES, "private": private}
    return s3_bucket


@pytest.fixture
def json_logs() -> Iterator[CapturedLogs]:
    captured = CapturedLogs("json")
    root = logging.getLogger()
    level = root.level
    root.addHandler(captured.handler)
    root.setLevel(logging.DEBUG)
    yield captured
    root.removeHandler(captured.handler)
    root.setLevel(level)


@pytest.fixture
def twilio_backend(settings):
    """The Twilio backend, talking to a local stand-in of its API."""
    standin = TwilioStandin().start()
    settings.SMS_BACKEND = "sms.backends.twilio.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token-of-the-test"
    settings.TWILIO_FROM_NUMBER = "+15005550006"
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_BASE_URL = standin.base_url
    yield standin
    standin.stop()
