"""Fault tests run the portal as production does (gunicorn, a Celery worker with beat, a
Redis of their own) against the test database, which must be PostgreSQL: with SQLite
they skip, and under CI they fail."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.faults.processes import (
    FIELD_ENCRYPTION_KEY,
    ROOT,
    SECRET_KEY,
    RedisServer,
    portal_env,
)
from tests.smtp_sink import SmtpSink
from tests.twilio_standin import TwilioStandin


@pytest.fixture
def database_url(transactional_db) -> str:
    if connection.vendor != "postgresql":
        message = "The fault tests need PostgreSQL: other processes share the test database."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    params = connection.settings_dict
    return (
        f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        f"/{params['NAME']}"
    )


@pytest.fixture(scope="session")
def collected_static():
    """With DEBUG off, pages name their static files from the manifest collectstatic
    writes, as a deployment does."""
    env = {**portal_env(database_url="", redis_url="", smtp_port=0, twilio_url=""), "DEBUG": "0"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@pytest.fixture
def same_keys(settings, collected_static):
    """This process signs the sessions and activates the PINs the processes read."""
    settings.SECRET_KEY = SECRET_KEY
    settings.FIELD_ENCRYPTION_KEY = FIELD_ENCRYPTION_KEY
    settings.SUPPORT_PIN_DEV_KEY_FROM_SECRET_KEY = False


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def twilio():
    standin = TwilioStandin().start()
    yield standin
    standin.stop()


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def env(database_url, redis, smtp_sink, twilio, same_keys) -> dict:
    return portal_env(
        database_url=database_url,
        redis_url=redis.url,
        smtp_port=smtp_sink.port,
        twilio_url=twilio.base_url,
    )


@pytest.fixture
def started(tmp_path):
    """Start processes with `started(process)`; each is stopped when the test ends."""
    processes = []

    def start(process):
        processes.append(process)
        return process.start()

    yield start
    for process in reversed(processes):
        process.stop()
