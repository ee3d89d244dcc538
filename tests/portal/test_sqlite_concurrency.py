"""The embedded default (SQLite, `make run`) takes concurrent writing requests without
"database is locked" errors. Run in a process of its own on a SQLite file with the
portal's own settings, whatever database the rest of the suite uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_twenty_simultaneous_new_requests_on_sqlite_all_succeed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="CRITICAL",
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.portal.concurrent_sqlite_requests", "20"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [302] * 20, result.stderr[-3000:]
    assert len(set(outcome["references"])) == 20


def test_the_embedded_database_waits_for_the_lock_instead_of_failing():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    database = json.loads(result.stdout.strip().splitlines()[-1])
    assert database["ENGINE"] == "django_prometheus.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 5
