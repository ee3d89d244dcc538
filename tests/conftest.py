"""Shared fixtures: people of a customer, staff, logged-in clients, and a client whose
requests commit, so that work queued with `transaction.on_commit` (emails, SMS) happens as
it does in production."""

import re

import pytest
from django.test import Client, TestCase

from accounts.models import Customer, User
from portal.celery import app as celery_app

PASSWORD = "correct-Horse-battery-42"


class CommittingClient(Client):
    """A test client whose every request ends like a committed transaction: the
    on_commit callbacks it registered run before the response is returned."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tests/accounts/test_settings.py checks it); MD5
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
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> CommittingClient:
    return CommittingClient()


def make_customer(
    name: str = "Acme Hosting", plan: str = Customer.Plan.BASIC, **kwargs
) -> Customer:
    return Customer.objects.create(name=name, plan=plan, **kwargs)


def make_user(
    username: str,
    *,
    customer: Customer | None = None,
    role: str = "",
    password: str = PASSWORD,
    **kwargs,
) -> User:
    kwargs.setdefault("email", f"{username}@example.com")
    kwargs.setdefault("full_name", username.replace(".", " ").title())
    user = User(username=username, customer=customer, role=role, **kwargs)
    user.set_password(password)
    user.save()
    return user


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


def _logged_in(user: User) -> CommittingClient:
    c = CommittingClient()
    c.force_login(user)
    return c


@pytest.fixture
def owner_client(owner) -> CommittingClient:
    return _logged_in(owner)


@pytest.fixture
def member_client(member) -> CommittingClient:
    return _logged_in(member)


@pytest.fixture
def other_client(other_owner) -> CommittingClient:
    return _logged_in(other_owner)


@pytest.fixture
def agent_client(agent) -> CommittingClient:
    return _logged_in(agent)


@pytest.fixture
def supervisor_client(supervisor) -> CommittingClient:
    return _logged_in(supervisor)


LINK = re.compile(r"https?://[^/\s]+(/[^\s\"<>]*)")


def link_in(message, path_prefix: str = "/") -> str:
    """The path of the first portal link in an email starting with `path_prefix`, so that
    a test follows the link that was mailed."""
    paths = [path for path in LINK.findall(message.body) if path.startswith(path_prefix)]
    assert paths, f"no link to {path_prefix} in: {message.body}"
    return paths[0]
