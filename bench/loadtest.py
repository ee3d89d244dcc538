"""`make loadtest`: the provider's outage hour against the production shape on this
machine, with Locust (bench/locustfile.py).

Started and stopped here, all on 127.0.0.1: gunicorn (LOADTEST_WEB_WORKERS sync workers, 5
by default: 2 x cores + 1, the web processes mostly wait on PostgreSQL), one Celery worker
(prefork, 2 processes), one beat, a Redis of its own, the SMTP sink and the Twilio stand-in
of the test suite, against a PostgreSQL database `portal_loadtest` on the server of
DATABASE_URL (dropped and created again). Users step up (LOADTEST_STEPS, 25,50,100,200 by
default, LOADTEST_STEP_SECONDS each, 60 by default); the highest step with p95 under 500 ms
on every page and no error then runs for LOADTEST_FINAL_SECONDS (300), once the email and
SMS of the steps before have gone; when it does not hold that long, fewer users try again
(halfway down to the step below, LOADTEST_MAX_FINALS runs in all). At the end every
request opened must be in the database, every email in the SMTP sink and every SMS at
the stand-in. Prints the step table and writes bench/LOADTEST.md; exits 1 on any error,
anything missing, or no long run that held.
"""

import base64
import contextlib
import csv
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fault_run import database_url, recreate_database  # noqa: E402

from tests.faults.processes import (  # noqa: E402
    CeleryBeat,
    CeleryWorker,
    Gunicorn,
    RedisServer,
    portal_env,
    wait_until,
)
from tests.smtp_sink import SmtpSink  # noqa: E402
from tests.twilio_standin import TwilioStandin  # noqa: E402

STEPS = [int(n) for n in os.environ.get("LOADTEST_STEPS", "25,50,100,200").split(",")]
STEP_SECONDS = int(os.environ.get("LOADTEST_STEP_SECONDS", "60"))
FINAL_SECONDS = int(os.environ.get("LOADTEST_FINAL_SECONDS", "300"))
WEB_WORKERS = int(os.environ.get("LOADTEST_WEB_WORKERS", "5"))
P95_LIMIT_MS = 500
# Long runs tried, from the highest step that held down, before giving up.
MAX_FINALS = int(os.environ.get("LOADTEST_MAX_FINALS", "3"))
CUSTOMERS = 250
AGENTS = 25
PASSWORD = "outage-Hour-2026"


def seed(folder: Path) -> Path:
    """Customers (a fifth with an authenticator app), agents (all with one), PINs, and two
    requests each; returns the accounts file the Locust users read."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from PIL import Image

    from accounts.models import Customer, User
    from portal.mail import emails_dropped
    from supportpin.crypto import decrypt_secret
    from supportpin.services import support_pin_activate
    from tickets import services
    from tickets.models import Category

    password = make_password(PASSWORD)  # argon2, once: every login checks it as in life
    category = Category.objects.order_by("pk").first()
    customers, agents = [], []
    with emails_dropped():
        for n in range(CUSTOMERS):
            customer = Customer.objects.create(
                name=f"Outage {n} Ltd", plan=Customer.Plan.choices[n % 3][0],
                contract_number=f"C-{70000 + n}",
            )  # fmt: skip
            user = User.objects.create(
                username=f"customer{n}", email=f"customer{n}@example.com",
                full_name=f"Customer {n}", customer=customer, role=User.Role.OWNER,
                mobile=f"+3069124{n:05d}", password=password,
            )  # fmt: skip
            user.mobile_verified_at = user.date_joined
            user.save(update_fields=["mobile_verified_at"])
            pin = support_pin_activate(user=user, acting_user=user)
            account = {
                "id": user.pk,
                "username": user.username,
                "pin": decrypt_secret(pin.encrypted_secret).hex(),
            }
            if n % 5 == 0:
                account["totp"] = TOTPDevice.objects.create(user=user, name="App").key
            for k in range(2):
                services.ticket_create(
                    requester=user, subject=f"Earlier request {k}", description="Earlier.",
                    category=category, priority=3,
                )  # fmt: skip
            customers.append(account)
        for n in range(AGENTS):
            agent = User.objects.create(
                username=f"agent{n}", email=f"agent{n}@example.com", full_name=f"Agent {n}",
                is_staff=True, is_superuser=True, password=password,
            )  # fmt: skip
            device = TOTPDevice.objects.create(user=agent, name="App")
            agents.append({"username": agent.username, "totp": device.key})
    image = Image.effect_noise((320, 200), 40).convert("RGB")
    screenshot = io.BytesIO()
    image.save(screenshot, format="PNG")
    path = folder / "accounts.json"
    path.write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "category": category.pk,
                "customers": customers,
                "agents": agents,
                "screenshot": base64.b64encode(screenshot.getvalue()).decode(),
            }
        )
    )
    return path


class CpuMeter:
    """CPU use (% of one core) of the web processes, the worker and PostgreSQL."""

    def __init__(self, groups: dict[str, int]) -> None:
        self.groups = groups
        self.samples: dict[str, list[float]] = {name: [] for name in [*groups, "database"]}
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _processes(self) -> dict[str, list[psutil.Process]]:
        found = {name: [] for name in self.samples}
        for process in psutil.process_iter(["pid", "name"]):
            try:
                group = os.getpgid(process.pid)
            except (ProcessLookupError, psutil.Error):
                continue
            for name, leader in self.groups.items():
                if group == leader:
                    found[name].append(process)
            if process.info["name"] == "postgres":
                found["database"].append(process)
        return found

    def _run(self) -> None:
        while self.running:
            processes = self._processes()
            for group in processes.values():
                for process in group:
                    with contextlib.suppress(psutil.Error):
                        process.cpu_percent(None)
            time.sleep(2)
            for name, group in processes.items():
                total = 0.0
                for process in group:
                    with contextlib.suppress(psutil.Error):
                        total += process.cpu_percent(None)
                self.samples[name].append(total)

    def take(self) -> dict[str, float]:
        taken = {
            name: (sum(values) / len(values) if values else 0.0)
            for name, values in self.samples.items()
        }
        for values in self.samples.values():
            values.clear()
        return taken


_started_users = [0]


def run_locust(host: str, users: int, seconds: int, folder: Path, accounts: Path) -> dict:
    prefix = folder / f"step-{users}-{seconds}"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "-u", str(users), "-r", str(max(1, users // 15)), "-t", f"{seconds}s",
         "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--stop-timeout", "10"],
        env={
            **os.environ,
            "LOADTEST_ACCOUNTS": str(accounts),
            "LOADTEST_OFFSET": str(_started_users[0]),
        },
        cwd=ROOT,
        check=False,
    )  # fmt: skip
    _started_users[0] += users
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    pages = {row["Name"]: row for row in rows if row["Name"] != "Aggregated"}
    total = next(row for row in rows if row["Name"] == "Aggregated")
    worst = max(pages.values(), key=lambda row: float(row["95%"] or 0))
    return {
        "users": users,
        "seconds": seconds,
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"] or 0),
        "p95": float(total["95%"] or 0),
        "p99": float(total["99%"] or 0),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        "worst_page": worst["Name"],
        "worst_p95": float(worst["95%"] or 0),
        "opened": sum(
            int(row["Request Count"]) - int(row["Failure Count"])
            for name, row in pages.items()
            if name == "open a request"
        ),
    }


class StallWatch:
    """Every 15 s, looks for an email claimed for sending STALL_SECONDS ago or more (a send
    gives up after EMAIL_TIMEOUT per step, 10 s). The first time one is found, it writes
    what each process of the Celery worker is doing (py-spy, when installed) and what every
    thread of this process is doing (the SMTP sink and the Twilio stand-in run here) to
    `stall.txt` in the run's folder, and says so."""

    STALL_SECONDS = 60

    def __init__(self, worker_pid: int, path: Path) -> None:
        self.worker_pid = worker_pid
        self.path = path
        self.found_at: str | None = None
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from datetime import timedelta

        from django.db import connection
        from django.utils import timezone

        from outbox.models import OutboundEmail

        while self.running and self.found_at is None:
            time.sleep(15)
            stuck = OutboundEmail.objects.filter(
                status=OutboundEmail.Status.SENDING,
                claimed_at__lte=timezone.now() - timedelta(seconds=self.STALL_SECONDS),
            ).values_list("pk", "claimed_by", "claimed_at")
            stuck = list(stuck)
            if stuck:
                self.found_at = time.strftime("%H:%M:%S")
                self._dump(stuck)
        connection.close()

    def _dump(self, stuck: list) -> None:
        lines = [f"{self.found_at}: emails sending for over {self.STALL_SECONDS} s: {stuck}", ""]
        pids = [self.worker_pid]
        with contextlib.suppress(psutil.Error):
            pids += [child.pid for child in psutil.Process(self.worker_pid).children(True)]
        spy = Path(sys.executable).parent / "py-spy"
        for pid in pids:
            if spy.exists():
                result = subprocess.run(
                    [str(spy), "dump", "--pid", str(pid)], capture_output=True, text=True
                )
                lines += [f"--- py-spy dump of {pid}", result.stdout, result.stderr]
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            lines += [f"--- this process, thread {names.get(ident, ident)}"]
            lines += traceback.format_stack(frame)
        self.path.write_text("\n".join(lines), encoding="utf-8")
        print(f"loadtest: a send hangs; what the processes were doing is in {self.path}",
              flush=True)  # fmt: skip


def holds(step: dict) -> bool:
    return step["errors"] == 0 and step["worst_p95"] < P95_LIMIT_MS


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="loadtest-"))
    url = database_url("portal_loadtest")
    redis = RedisServer(folder).start()
    sink = SmtpSink().start()
    twilio = TwilioStandin().start()
    env = portal_env(
        database_url=url, redis_url=redis.url, smtp_port=sink.port, twilio_url=twilio.base_url
    )
    # Production's sweeps, not the fault tests' seconds; every customer is behind one
    # address here, and in life they come from many.
    for name in ("OUTBOX_SWEEP_SECONDS", "SMS_SWEEP_SECONDS", "SMS_REQUEUE_AFTER_SECONDS"):
        env.pop(name, None)
    env["SMS_LIMIT_PER_ADDRESS_HOUR"] = "100000"
    os.environ.update(env)
    recreate_database(url)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    from outbox.models import OutboundEmail
    from sms.models import SmsMessage
    from tickets.models import Ticket

    print(f"loadtest: seeding {CUSTOMERS} customers and {AGENTS} agents", flush=True)
    accounts = seed(folder)
    seeded_tickets = Ticket.objects.count()
    web = Gunicorn(env, folder, workers=WEB_WORKERS).start()
    worker = CeleryWorker(env, folder, beat=False, pool=("--pool=prefork", "-c", "2")).start()
    beat = CeleryBeat(env, folder, "loadtest").start()
    meter = CpuMeter({"web": web.popen.pid, "worker": worker.popen.pid})
    watch = StallWatch(worker.popen.pid, folder / "stall.txt")
    steps: list[dict] = []
    finals: list[dict] = []
    try:
        # Each web process loads the portal at its first requests: not part of the hour.
        print("loadtest: warming up", flush=True)
        warm_up = run_locust(web.url, 10, 20, folder, accounts)
        meter.take()
        for users in STEPS:
            print(f"loadtest: {users} users for {STEP_SECONDS} s", flush=True)
            step = run_locust(web.url, users, STEP_SECONDS, folder, accounts)
            step.update(meter.take())
            steps.append(step)
            if not holds(step):
                break

        def delivered() -> bool:
            emails = OutboundEmail.objects.exclude(to="")
            sms = SmsMessage.objects.all()
            return (
                not emails.exclude(status=OutboundEmail.Status.SENT).exists()
                and not (
                    sms.filter(status__in=[SmsMessage.Status.QUEUED, SmsMessage.Status.SENDING])
                ).exists()
            )

        held = [step["users"] for step in steps if holds(step)]
        users = held[-1] if held else None
        while users is not None and len(finals) < MAX_FINALS:
            # Each long run starts once the email and SMS of the steps before have gone, so
            # that it measures its own load, not the backlog of a heavier step.
            wait_until(delivered, 180, every=2)
            print(f"loadtest: {users} users for {FINAL_SECONDS} s", flush=True)
            final = run_locust(web.url, users, FINAL_SECONDS, folder, accounts)
            final.update(meter.take())
            finals.append(final)
            if holds(final):
                break
            users = lower_level(users, held)
        print("loadtest: waiting for every email and SMS", flush=True)
        wait_until(delivered, 180, every=2)
        sent = Counter(message["Message-ID"] for message in sink.messages)
        rows = list(OutboundEmail.objects.exclude(to="").values_list("message_id", flat=True))
        checks = {
            "requests opened (answered)": sum(s["opened"] for s in [warm_up, *steps, *finals]),
            "requests saved": Ticket.objects.count() - seeded_tickets,
            "emails queued": len(rows),
            "emails missing at the SMTP sink": sum(1 for m in rows if not sent[m]),
            "emails sent twice": sum(n - 1 for n in sent.values() if n > 1),
            "SMS asked for and accepted": SmsMessage.objects.exclude(
                status=SmsMessage.Status.FAILED
            ).count(),
            "SMS not sent": SmsMessage.objects.exclude(status=SmsMessage.Status.SENT).count(),
            "SMS at the stand-in": len(twilio.accepted),
        }
    finally:
        meter.running = False
        watch.running = False
        for process in (beat, worker, web):
            process.stop()
        twilio.stop()
        sink.stop()
        redis.stop()
    report(steps, finals, checks)


def lower_level(users: int, held: list[int]) -> int | None:
    """The next number of users to try for the long run when `users` did not hold it:
    halfway down to the step below that held (rounded to 5), or that step itself when
    halfway is it; None below the lowest step."""
    below = [level for level in held if level < users]
    floor = below[-1] if below else 0
    halfway = (users + floor) // 2 // 5 * 5
    if halfway > floor:
        return halfway
    return floor or None


def report(steps: list[dict], finals: list[dict], checks: dict) -> None:
    load = os.getloadavg()[0]
    lines = [
        "# Load test (`make loadtest`)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load:.1f} at the end; gunicorn {WEB_WORKERS} sync workers, one Celery worker (2 "
        "processes), PostgreSQL, Redis, all on this machine.",
        "",
        "| users | seconds | requests/s | p50 ms | p95 ms | p99 ms | errors "
        "| slowest page (p95 ms) | CPU web % | CPU worker % | CPU database % |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for step in [*steps, *finals]:
        lines.append(
            f"| {step['users']} | {step['seconds']} | {step['rps']:.1f} | {step['p50']:.0f} | "
            f"{step['p95']:.0f} | {step['p99']:.0f} | {step['errors']} | "
            f"{step['worst_page']} ({step['worst_p95']:.0f}) | {step.get('web', 0):.0f} | "
            f"{step.get('worker', 0):.0f} | {step.get('database', 0):.0f} |"
        )
    lines += ["", "| at the end | count |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in checks.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "LOADTEST.md").write_text(text)
    missing = (
        checks["requests saved"] < checks["requests opened (answered)"]
        or checks["emails missing at the SMTP sink"]
        or checks["emails sent twice"]
        or checks["SMS not sent"]
        or checks["SMS at the stand-in"] != checks["SMS asked for and accepted"]
    )
    held = [final for final in finals if holds(final)]
    lines = [f"The long run held at {held[-1]['users']} users." if held else
             "No long run held: p95 over 500 ms on a page, or an error."]  # fmt: skip
    print(lines[0])
    with (ROOT / "bench" / "LOADTEST.md").open("a") as results:
        results.write("\n" + lines[0] + "\n")
    failed = not held or any(final["errors"] for final in finals) or missing
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
