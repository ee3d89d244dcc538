"""`make fault-run`: the portal in its production shape under a steady trickle of work
while its parts fail, counting what was expected, delivered, lost and duplicated.

Processes, all on 127.0.0.1 and all started and stopped here: gunicorn (4 workers), one
Celery worker with beat inside it (solo pool, so that SIGKILL kills the task it runs), a
Redis of its own, an SMTP sink and the Twilio stand-in of the test suite, against a
PostgreSQL database `portal_faultrun` on the server of DATABASE_URL (dropped and created
again on each run). Customers open a request every second and ask for their Support PIN
by SMS every two seconds, throughout. The phases, OUTAGE seconds each (30 by default)
with 15 s of normal service between them:

1. Redis and the mail server down together;
2. Redis down;
3. the worker killed with SIGKILL while the mail server is slow (restarted 5 s later).

Then the sweeps get up to 2 minutes to deliver what waited, and the counts are printed
and written to bench/FAULT_RUN.md. The sweeps run every 5 s here (every minute in
production): only the delay after an outage is shorter, not the path.
"""

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.processes import (  # noqa: E402 (after the path is set)
    Browser,
    CeleryWorker,
    Gunicorn,
    RedisServer,
    portal_env,
    wait_until,
)
from tests.smtp_sink import SmtpSink  # noqa: E402
from tests.twilio_standin import TwilioStandin  # noqa: E402

OUTAGE = int(os.environ.get("FAULT_RUN_OUTAGE_SECONDS", "30"))
BETWEEN = 15
CUSTOMERS = 40
SETTLE = 120


def database_url(name: str = "portal_faultrun") -> str:
    """DATABASE_URL's server with the database `name` (the run's own)."""
    import dj_database_url

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    config = dj_database_url.parse(base)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("fault-run: DATABASE_URL must name a PostgreSQL server.")
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{name}"


def recreate_database(url: str) -> None:
    """Drop the run's database and create it again, empty."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def prepare_customers() -> list[str]:
    """Customers with an active PIN and a verified mobile; returns their session keys."""
    from django.test import Client

    from accounts.models import Customer, User
    from portal.mail import emails_dropped
    from supportpin.services import support_pin_activate

    keys = []
    with emails_dropped():
        for n in range(CUSTOMERS):
            customer = Customer.objects.create(name=f"Outage {n} Ltd", plan=Customer.Plan.BASIC)
            user = User(
                username=f"outage{n}",
                email=f"outage{n}@example.com",
                full_name=f"Outage Customer {n}",
                customer=customer,
                role=User.Role.OWNER,
                mobile=f"+3069123{n:05d}",
            )
            user.mobile_verified_at = user.date_joined
            user.set_unusable_password()
            user.save()
            support_pin_activate(user=user, acting_user=user)
            client = Client()
            client.force_login(user)
            keys.append(client.cookies["sessionid"].value)
    return keys


class Load:
    """A request every second and a PIN SMS every two, each from the next customer."""

    def __init__(self, base_url: str, session_keys: list[str], category_id: int) -> None:
        self.browsers = [Browser(base_url, key) for key in session_keys]
        self.category_id = category_id
        self.phase = "start"
        self.answers: dict[str, Counter] = defaultdict(Counter)
        self.slowest: dict[str, float] = defaultdict(float)
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.opened = 0

    def _record(self, kind: str, call) -> None:
        phase = self.phase
        started = time.monotonic()
        try:
            status = str(call().status_code)
        except Exception as error:  # the page did not answer at all
            status = type(error).__name__
        took = time.monotonic() - started
        with self.lock:
            self.answers[f"{phase}: {kind}"][status] += 1
            self.slowest[f"{phase}: {kind}"] = max(self.slowest[f"{phase}: {kind}"], took)

    def _requests(self) -> None:
        n = 0
        while not self.stopped.wait(1.0):
            browser = self.browsers[n % len(self.browsers)]
            n += 1
            data = {
                "subject": f"Outage report {n}",
                "category": self.category_id,
                "priority": "4",
                "description": "Every site is down.",
                "browser": "Firefox 128",
                "device": "Windows computer",
            }
            self._record(
                "open a request", lambda b=browser, d=data: b.post_form("/tickets/new/", d)
            )

    def _pins(self) -> None:
        n = 0
        while not self.stopped.wait(2.0):
            browser = self.browsers[(n * 7) % len(self.browsers)]
            n += 1
            self._record(
                "PIN by SMS",
                lambda b=browser: b.post_form("/support-pin/send/", {}, form_page="/support-pin/"),
            )

    def start(self) -> None:
        for target in (self._requests, self._pins):
            threading.Thread(target=target, daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        time.sleep(2.5)


def counts(sink: SmtpSink, twilio: TwilioStandin) -> dict:
    from outbox.models import OutboundEmail
    from sms.models import SmsMessage
    from tickets.models import Ticket

    rows = {email.message_id: email.status for email in OutboundEmail.objects.exclude(to="")}
    delivered = Counter(message["Message-ID"] for message in sink.messages)
    sms = Counter(SmsMessage.objects.values_list("status", flat=True))
    by_record = Counter(
        request.get("StatusCallback", "").rstrip("/").rsplit("/", 1)[-1]
        for request in twilio.accepted
    )
    return {
        "requests saved": Ticket.objects.count(),
        "emails expected": len(rows),
        "emails delivered": sum(1 for message_id in rows if delivered[message_id]),
        "emails lost": sum(1 for message_id in rows if not delivered[message_id]),
        "emails duplicated": sum(count - 1 for count in delivered.values() if count > 1),
        "emails not the portal's": sum(1 for message_id in delivered if message_id not in rows),
        "SMS asked for": sum(sms.values()),
        "SMS sent": sms.get(SmsMessage.Status.SENT, 0),
        "SMS still queued": sms.get(SmsMessage.Status.QUEUED, 0),
        "SMS expired, failed or unknown": sum(
            sms.get(status, 0)
            for status in (
                SmsMessage.Status.EXPIRED,
                SmsMessage.Status.FAILED,
                SmsMessage.Status.UNKNOWN,
            )
        ),
        "SMS duplicated": sum(count - 1 for count in by_record.values() if count > 1),
    }


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="fault-run-"))
    url = database_url()
    redis = RedisServer(folder).start()
    sink = SmtpSink().start()
    twilio = TwilioStandin().start()
    env = portal_env(
        database_url=url, redis_url=redis.url, smtp_port=sink.port, twilio_url=twilio.base_url
    )
    for name in ("OUTBOX_SWEEP_SECONDS", "SMS_SWEEP_SECONDS"):
        env[name] = "5"
    for name in ("OUTBOX_REQUEUE_AFTER_SECONDS", "SMS_REQUEUE_AFTER_SECONDS"):
        env[name] = "10"
    env["OUTBOX_RETRY_FIRST_SECONDS"] = "5"
    # Forty customers behind one address here; in life they come from many.
    env["SMS_LIMIT_PER_ADDRESS_HOUR"] = "100000"
    os.environ.update(env)
    recreate_database(url)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    from tickets.models import Category

    print(f"fault-run: preparing {CUSTOMERS} customers", flush=True)
    keys = prepare_customers()
    web = Gunicorn(env, folder, workers=4).start()
    worker = CeleryWorker(env, folder).start()
    load = Load(web.url, keys, Category.objects.order_by("pk").first().pk)
    timeline = []

    def phase(name: str, seconds: float) -> None:
        print(f"fault-run: {name} ({seconds:.0f} s)", flush=True)
        load.phase = name
        timeline.append((name, seconds))
        time.sleep(seconds)

    try:
        load.start()
        phase("normal", BETWEEN)
        redis.stop()
        sink.stop()
        phase("Redis and SMTP down", OUTAGE)
        redis.start()
        sink.start()
        phase("normal after 1", BETWEEN)
        redis.stop()
        phase("Redis down", OUTAGE)
        redis.start()
        phase("normal after 2", BETWEEN)
        sink.rcpt_delay = 2.0
        phase("worker killed", 3)
        worker.kill()
        time.sleep(5)
        sink.rcpt_delay = 0
        worker = CeleryWorker(env, folder).start()
        phase("worker killed", OUTAGE - 8)
        phase("normal after 3", BETWEEN)
        load.stop()
        print(f"fault-run: settling (at most {SETTLE} s)", flush=True)
        started = time.monotonic()
        wait_until(
            lambda: (c := counts(sink, twilio))["emails lost"] == 0 and c["SMS still queued"] == 0,
            SETTLE,
            every=2,
        )
        settled_in = time.monotonic() - started
        result = counts(sink, twilio)
    finally:
        load.stopped.set()
        worker.stop()
        web.stop()
        twilio.stop()
        sink.stop()
        redis.stop()
    report(load, result, settled_in)


def report(load: Load, result: dict, settled_in: float) -> None:
    lines = [
        "# Fault run (`make fault-run`)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end",
        f"{CUSTOMERS} customers; a request opened every second, a PIN by SMS every two "
        f"seconds; outages of {OUTAGE} s; sweeps every 5 s.",
        "",
        "## What the customers got",
        "",
        "| phase: action | answers | slowest s |",
        "|---|---|---:|",
    ]
    for key in load.answers:
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(load.answers[key].items()))
        lines.append(f"| {key} | {answers} | {load.slowest[key]:.2f} |")
    lines += ["", "## What went out", "", "| | count |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in result.items()]
    lines += ["", f"Everything waiting was delivered {settled_in:.0f} s after the load stopped."]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "FAULT_RUN.md").write_text(text)
    failed = result["emails lost"] or result["emails duplicated"] or result["SMS duplicated"]
    failed = (
        failed
        or result["SMS still queued"]
        or any(
            not status.startswith(("2", "3"))
            for answers in load.answers.values()
            for status in answers
        )
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
