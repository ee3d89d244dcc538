"""A real Celery worker consuming from Redis, for tests that prove tasks travel through
the broker. Requires REDIS_URL; without it the tests skip, and with CI set they fail."""

import os

import pytest
from django.conf import settings


@pytest.fixture
def celery_worker_on_redis(transactional_db):
    if not settings.CELERY_BROKER_URL:
        message = "REDIS_URL is not set: the Celery worker tests need Redis."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.conf.task_always_eager = False
    # The worker runs in a thread of this process, so it sees the test database.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    app.conf.task_always_eager = True
