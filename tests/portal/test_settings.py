"""The settings read the environment once, with embedded defaults for development and a
production configuration that passes Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({"
    "'engine': settings.DATABASES['default']['ENGINE'],"
    "'name': str(settings.DATABASES['default']['NAME']),"
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
    "'broker': settings.CELERY_BROKER_URL,"
    "'email': settings.EMAIL_BACKEND,"
    "'sms': settings.SMS_BACKEND,"
    "'debug': settings.DEBUG,"
    "'cache': settings.CACHES['default']['BACKEND'],"
    "}))"
)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_no_environment_the_portal_runs_on_its_embedded_defaults():
    result = _run(["-c", PRINT_SETTINGS], {})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django_prometheus.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == ""
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["sms"].endswith("OutboxBackend")
    assert values["debug"] is True
    assert values["cache"].endswith("LocMemCache")


def test_production_variables_switch_to_postgresql_redis_and_smtp():
    result = _run(
        ["-c", PRINT_SETTINGS],
        {
            "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "EMAIL_URL": "smtp://mailer:secret@smtp.internal:587/?tls=True",
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        },
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django_prometheus.db.backends.postgresql"
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["sms"].endswith("TwilioBackend")
    assert values["cache"].endswith("RedisCache")


def test_check_deploy_is_clean_with_debug_off_and_production_variables():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {
            "DEBUG": "0",
            "SECRET_KEY": "x8#kq!3vz" * 8,
            "ALLOWED_HOSTS": "support.example.com",
            "FIELD_ENCRYPTION_KEY": "kGcHJ1X0c3z5b8nYkq3xV2s4d6f8h0j2l4n6p8r0t2w=",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = _run(["-c", PRINT_SETTINGS], {"DEBUG": "0", "ALLOWED_HOSTS": "x.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_argon2_is_the_first_password_hasher():
    from portal import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_celery_takes_its_broker_from_redis_url():
    assert (os.environ.get("REDIS_URL") or "") == settings.CELERY_BROKER_URL


def test_templates_are_compiled_once_per_process():
    """Django keeps compiled templates (the cached loader) when no loaders are listed:
    listing some would turn it off."""
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    assert [type(loader) for loader in engines["django"].engine.template_loaders] == [Loader]


def test_passwords_are_hashed_with_owasps_argon2id_parameters_and_old_hashes_are_upgraded(
    settings, db
):
    from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password

    from portal import settings as project_settings
    from tests.factories import make_user

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    fresh = make_password("correct-Horse-battery-42")
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in fresh
    assert identify_hasher(fresh).must_update(fresh) is False

    old = Argon2PasswordHasher().encode("correct-Horse-battery-42", "saltsaltsalt")
    user = make_user("olga.old")
    user.password = old
    user.save(update_fields=["password"])
    assert user.check_password("correct-Horse-battery-42")  # still verifies...
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password  # ...and is stored again with the new ones
