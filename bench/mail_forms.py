"""`make bench-mail`: how long password reset, username reminder and activation resend
take for an address with a login and for one without, in process (Django's test client,
no network), so that a difference the timing would tell stands out.

Uses a throw-away SQLite database and, when REDIS_URL is set, Redis as the Celery broker
(as in production: the email task is queued, not sent, in the request); without it, tasks
run in-process and the known address also pays for the (locmem) delivery. The mail limits
are switched off, or they would stop the measurement after three requests. Alternates
known and unknown requests; prints median and p95 in milliseconds.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_UP = 30
SAMPLES = 300


def setup() -> None:
    database = Path(tempfile.mkdtemp()) / "bench-mail.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.RATELIMIT_ENABLE = False
    call_command("migrate", verbosity=0)


def milliseconds(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{statistics.median(ordered) * 1000:6.2f} {p95 * 1000:6.2f}"


def main() -> None:
    setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Customer, User

    customer = Customer.objects.create(name="Bench Ltd")
    known = User.objects.create_user(
        username="known", email="known@example.com", password="x", customer=customer, role="owner"
    )
    pending = User.objects.create_user(
        username="pending",
        email="pending@example.com",
        password="x",
        customer=customer,
        role="owner",
        is_active=False,
    )
    forms = [
        ("password reset", reverse("accounts:password_reset"), known.email),
        ("username reminder", reverse("accounts:username_reminder"), known.email),
        ("activation resend", reverse("accounts:activation_resend"), pending.email),
    ]
    client = Client()
    broker = "Redis broker" if os.environ.get("REDIS_URL") else "tasks in-process"
    print(f"# {broker}; {SAMPLES} requests each after {WARM_UP} warm-up; median p95 (ms)")
    print(f"{'form':<20} {'known':>13} {'unknown':>13}")
    for name, url, address in forms:
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(WARM_UP + SAMPLES):
            for kind, email in (("known", address), ("unknown", f"nobody{i}@example.com")):
                start = time.perf_counter()
                response = client.post(url, {"email": email})
                elapsed = time.perf_counter() - start
                assert response.status_code in (200, 302), response.status_code
                if i >= WARM_UP:
                    times[kind].append(elapsed)
        print(f"{name:<20} {milliseconds(times['known'])} {milliseconds(times['unknown'])}")
    if os.environ.get("REDIS_URL"):
        from portal.celery import app

        app.control.purge()


if __name__ == "__main__":
    main()
