"""`make bench`: the tickets pages at scale, served by gunicorn, measured from outside.

Seeds PostgreSQL (DATABASE_URL, required) with 10,000 customers, 100,000 tickets,
300,000 messages and 10,000 help centre articles in 4 languages through COPY (once;
later runs reuse them), summarises the past days for the dashboard as the hourly beat
job does, starts gunicorn with 2 workers, logs in a customer, a supervisor (a superuser)
and an agent (not one), and measures sequential requests after a warm-up (median and
p95), then requests per second on the admin queue and the customer's list with 16
concurrent connections (by wrk when it is installed). It also seeds 10 million call
records and measures the call records pages, their totals, the CSV export's memory and
the billing API's import (bench/call_records.py; `--billing` measures only those). Prints a
table and writes bench/RESULTS.md. `--gunicorn "-w 2 -k gthread --threads 4"` runs gunicorn
another way; `--throughput` measures only the requests per second.

`bench/run.py --compare REF` serves the portal at commit REF too (from a temporary
folder, on the same database, migrated by this commit) and sends each page's requests to
the two servers in turn, one and then the other: a change is judged by the ratio of the
two in one run, which a busy machine slows alike. It prints the table and writes nothing;
`--only WORDS` limits it to the pages whose names have one of the comma-separated words.
"""

import argparse
import http.client
import io
import os
import platform
import random
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import call_records as billing  # noqa: E402

CUSTOMERS = 10_000
TICKETS = 100_000
MESSAGES = 300_000
HELP_ARTICLES = 10_000
HELP_LANGUAGES = ("en", "el", "it", "sk")
WARM_UP = 20
SAMPLES = 200
CONCURRENCY = 16
CONCURRENT_SECONDS = 15


def refuse_without_postgres() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database (it will be filled).")


def ensure_database() -> None:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def seed() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Customer, User
    from tickets.models import Category, ReferenceCounter, Ticket, TicketMessage

    if Ticket.objects.filter(reference="T-25-100000").exists():
        print("bench: data already seeded")
        return bench_people()
    started = time.perf_counter()
    rng = random.Random(4)
    now = timezone.now()
    password = make_password("bench-Password-42")
    plans = ["basic", "premium", "business"]
    with transaction.atomic():
        Customer.objects.bulk_create(
            [
                Customer(
                    name=f"Bench Customer {n:05d}", contract_number=f"B-{n:05d}", plan=plans[n % 3]
                )
                for n in range(1, CUSTOMERS + 1)
            ],
            batch_size=2000,
        )
        customer_ids = list(
            Customer.objects.filter(contract_number__startswith="B-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"bench.owner{n:05d}",
                    email=f"bench.owner{n:05d}@example.com",
                    full_name=f"Bench Owner {n:05d}",
                    customer_id=customer_id,
                    role="owner",
                    password=password,
                )
                for n, customer_id in enumerate(customer_ids, start=1)
            ],
            batch_size=2000,
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"bench.agent{n}",
                    email=f"bench.agent{n}@example.com",
                    full_name=f"Bench Agent {n}",
                    is_staff=True,
                    is_superuser=n == 1,
                    password=password,
                )
                for n in range(1, 11)
            ]
        )
        owner_of = dict(
            User.objects.filter(username__startswith="bench.owner").values_list("customer_id", "pk")
        )
        agent_ids = [agent.pk for agent in User.objects.filter(username__startswith="bench.agent")]
        categories = list(Category.objects.values_list("pk", flat=True))
        statuses = ["new", "open", "waiting", "resolved", "closed", "closed", "closed", "resolved"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM tickets_ticket")
            first_ticket = cursor.fetchone()[0] + 1
            tickets = []
            for n in range(TICKETS):
                # The first customer gets 50 requests: its "My requests" is a full page.
                customer_id = customer_ids[0] if n < 50 else customer_ids[n % CUSTOMERS]
                status = statuses[n % len(statuses)]
                created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 365))
                owed = status in ("new", "open")
                due = (
                    now + timedelta(minutes=rng.randint(-2 * 24 * 60, 5 * 24 * 60))
                    if owed
                    else None
                )
                tickets.append(
                    (
                        first_ticket + n,
                        f"T-25-{n + 1:06d}",
                        customer_id,
                        owner_of[customer_id],
                        f"Bench request {n} about the mail server",
                        rng.choice(categories),
                        rng.randint(1, 5),
                        "portal",
                        status,
                        rng.choice(agent_ids) if n % 3 else None,
                        "Firefox 128",
                        "Windows computer",
                        created if owed else None,
                        due,
                        None if status == "new" else created + timedelta(hours=2),
                        "f",
                        None,
                        created,
                        created + timedelta(hours=3),
                        created + timedelta(hours=3) if status in ("resolved", "closed") else None,
                        created + timedelta(days=8) if status == "closed" else None,
                    )
                )
            copy_rows(
                cursor,
                "tickets_ticket",
                [
                    "id", "reference", "customer_id", "requester_id", "subject", "category_id",
                    "priority", "channel", "status", "assignee_id", "browser", "device",
                    "awaiting_response_since", "response_due_at", "first_response_at",
                    "sla_breached", "breach_warning_for", "created_at", "updated_at",
                    "resolved_at", "closed_at",
                ],
                tickets,
            )  # fmt: skip
            messages = []
            for n in range(MESSAGES):
                ticket = tickets[n % TICKETS]
                from_staff = n >= TICKETS and n % 2 == 0
                messages.append(
                    (
                        ticket[0],
                        rng.choice(agent_ids) if from_staff else ticket[3],
                        f"Message {n}: the server answers 550 when we send to gmail.com.",
                        "t" if from_staff else "f",
                        "t" if from_staff and n % 10 == 0 else "f",
                        "f",
                        # Answers record whether they came in time (the dashboard's chart).
                        ("t" if n % 7 else "f") if from_staff and n % 10 else None,
                        ticket[17] + timedelta(minutes=n // TICKETS),
                    )
                )
            copy_rows(
                cursor,
                "tickets_ticketmessage",
                [
                    "ticket_id",
                    "author_id",
                    "body",
                    "from_staff",
                    "is_internal",
                    "is_system",
                    "sla_met",
                    "created_at",
                ],
                messages,
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('tickets_ticket', 'id'),"
                " (SELECT MAX(id) FROM tickets_ticket))"
            )
            ReferenceCounter.objects.update_or_create(year=2025, defaults={"last_number": TICKETS})
    with connection.cursor() as cursor:
        # VACUUM too: the visibility map that autovacuum keeps in production lets the
        # queue's count be an index-only scan (without it, 10,000 heap fetches).
        cursor.execute("VACUUM ANALYZE")
    print(f"bench: seeded in {time.perf_counter() - started:.0f} s")
    assert TicketMessage.objects.count() >= MESSAGES
    return bench_people()


# Topic words of the bench articles, per language: each article has a few of them among
# many rarer words, so a topic word is in about one article in six, as in a real
# knowledge base where "password" is not in every article.
HELP_TOPICS = {
    "en": "account password email domain server mailbox invoice renewal backup website "
    "certificate login phone request priority hosting database transfer records nameserver "
    "upgrade payment router network firewall storage quota error message browser device",
    "el": "λογαριασμός κωδικός email όνομα διακομιστής γραμματοκιβώτιο τιμολόγιο ανανέωση "
    "αντίγραφο ιστότοπος πιστοποιητικό σύνδεση τηλέφωνο αίτημα προτεραιότητα φιλοξενία "
    "βάση μεταφορά εγγραφές αναβάθμιση πληρωμή δίκτυο αποθήκευση σφάλμα μήνυμα συσκευή",
    "it": "account password posta dominio server casella fattura rinnovo backup sito "
    "certificato accesso telefono richiesta priorità hosting database trasferimento record "
    "potenziamento pagamento rete firewall spazio errore messaggio browser dispositivo",
    "sk": "účet heslo e-mail doména server schránka faktúra predĺženie záloha stránka "
    "certifikát prihlásenie telefón požiadavka priorita webhosting databáza prenos záznamy "
    "rozšírenie platba sieť firewall úložisko chyba správa prehliadač zariadenie",
}
HELP_SYLLABLES = {
    "en": "ba be co da de fi ga ho ja ke la li mo na no pe ra re sa so ta te vi wo",
    "el": "κα λο με τα νι πο ρα σε το φι χα δε γι ζω θε μι ξα πα ου στ",
    "it": "ca la me no ri so ta ve zi pe co gl di fa mo ne pu re se tu",
    "sk": "ka la mo ná ri so ta vé zi pe čo dy fa mi ne pu ré se tú ži",
}
HELP_FILLER_WORDS = 3000


def help_vocabulary(rng: random.Random, language: str) -> list[str]:
    syllables = HELP_SYLLABLES[language].split()
    return [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        for _ in range(HELP_FILLER_WORDS)
    ]


def help_text(
    rng: random.Random, topics: list[str], filler: list[str], topic_words: int, filler_words: int
) -> str:
    chosen = rng.sample(topics, topic_words) + rng.sample(filler, filler_words)
    rng.shuffle(chosen)
    return " ".join(chosen)


def seed_help_centre() -> None:
    from django.db import connection, transaction

    from helpcentre.models import ArticleVersion, Section
    from helpcentre.search import CONFIGURATIONS

    if ArticleVersion.objects.filter(article__slug__startswith="bench-").count() >= (
        HELP_ARTICLES * len(HELP_LANGUAGES)
    ):
        print("bench: help centre already seeded")
        return
    started = time.perf_counter()
    rng = random.Random(10)
    with transaction.atomic(), connection.cursor() as cursor:
        section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM helpcentre_article")
        first = cursor.fetchone()[0] + 1
        copy_rows(
            cursor,
            "helpcentre_article",
            ["id", "section_id", "slug", "status", "is_internal", "plans", "position",
             "view_count", "created_at", "updated_at"],
            (
                (first + n, section.pk, f"bench-{n:05d}", "published", "f", "[]", 0,
                 rng.randint(0, 5000), "2026-01-01 00:00+00", "2026-01-01 00:00+00")
                for n in range(HELP_ARTICLES)
            ),
        )  # fmt: skip
        versions = []
        vocabulary = {language: help_vocabulary(rng, language) for language in HELP_LANGUAGES}
        for n in range(HELP_ARTICLES):
            for language in HELP_LANGUAGES:
                topics, filler = HELP_TOPICS[language].split(), vocabulary[language]
                title, summary, body = (
                    help_text(rng, topics, filler, topic_words, filler_words)
                    for topic_words, filler_words in ((2, 3), (1, 8), (3, 100))
                )
                versions.append(
                    (first + n, language, title, summary, body, body, "2026-01-01 00:00+00")
                )
        copy_rows(
            cursor,
            "helpcentre_articleversion",
            ["article_id", "language", "title", "summary", "body", "body_text", "updated_at"],
            versions,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('helpcentre_article', 'id'),"
            " (SELECT MAX(id) FROM helpcentre_article))"
        )
        # The same vector as helpcentre.services.article_version_save, set in bulk.
        for language in HELP_LANGUAGES:
            config = CONFIGURATIONS[language]
            cursor.execute(
                "UPDATE helpcentre_articleversion SET search_vector ="
                " setweight(to_tsvector(%s::regconfig, title), 'A')"
                " || setweight(to_tsvector(%s::regconfig, summary), 'B')"
                " || setweight(to_tsvector(%s::regconfig, body_text), 'C')"
                " WHERE language = %s AND search_vector IS NULL",
                [config, config, config, language],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE helpcentre_article")
        cursor.execute("ANALYZE helpcentre_articleversion")
    print(f"bench: help centre seeded in {time.perf_counter() - started:.0f} s")


def summarise_days() -> None:
    """What the hourly beat job keeps in production: the summary rows of the past days
    the dashboard charts (today is counted live)."""
    from django.utils import timezone

    from tickets import dashboard, services

    started = time.perf_counter()
    days = dashboard.days_to_summarise(now=timezone.now())
    for day in days:
        services.day_figures_summarise(day=day)
    print(f"bench: {len(days)} days summarised in {time.perf_counter() - started:.1f} s")


def bench_people() -> dict:
    from accounts.models import User
    from tickets.models import Ticket

    owner = User.objects.get(username="bench.owner00001")
    ticket = Ticket.objects.filter(customer=owner.customer).order_by("pk").first()
    return {
        "owner": owner,
        # A supervisor (a superuser) and an agent who is not one, as most agents: the
        # admin asks the agent's permissions on every page.
        "agent": User.objects.get(username="bench.agent1"),
        "plain agent": User.objects.get(username="bench.agent2"),
        "ticket": ticket,
    }


def session_cookie(user) -> str:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="accounts.backends.EmailOrUsernameBackend")
    if user.is_staff:
        # The admin asks staff for a second step; the bench's agent has passed it.
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Bench app", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Production-like settings, shared by this process (which signs the session cookies) and
# gunicorn (which reads them).
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}


def checkout(ref: str) -> Path:
    """The portal at commit `ref` in a temporary folder, ready to be served: its
    translations compiled and its static files collected."""
    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    archive = subprocess.run(
        ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    env = {**os.environ, **SERVER_ENV}
    for command in (["compilemessages", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=folder, env=env, check=True)
    return folder


# How the bench runs gunicorn unless told otherwise (--gunicorn): 2 sync workers.
GUNICORN_ARGS = "-w 2"


def start_gunicorn(
    port: int, folder: Path = ROOT, gunicorn_args: str = GUNICORN_ARGS
) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", *shlex.split(gunicorn_args),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=folder,
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("bench: gunicorn did not start")


class Answer:
    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content


class PageClient:
    """The client of the latency figures: a GET on a new connection (gunicorn's sync
    workers close each one) by the standard library's http.client, with the session's
    cookies. `requests` spends about 1.5 ms of its own on each request (building it,
    its cookie jar, its adapters), which the figures counted as the server's time until
    2 December 2026 (bench/RESULTS.md); wrk measures the requests per second."""

    def __init__(self, **cookies: str) -> None:
        self.cookies = cookies

    def get(self, url: str, allow_redirects: bool = False) -> Answer:
        assert not allow_redirects, "the bench measures one answer, not where it sends"
        parts = urlsplit(url)
        target = quote(parts.path, safe="/%") + (
            "?" + quote(parts.query, safe="=&+%") if parts.query else ""
        )
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.read())
        finally:
            connection.close()


def measure(session, url: str) -> tuple[float, float]:
    # Redirects are not followed: a page that sends the bench elsewhere is not measured.
    for _ in range(WARM_UP):
        response = session.get(url, allow_redirects=False)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        response = session.get(url, allow_redirects=False)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def measure_alternating(session, urls: list[str]) -> list[tuple[float, float]]:
    """(median, p95) of each of `urls` (the same page on two servers), requested in turn."""
    for _ in range(WARM_UP):
        for url in urls:
            response = session.get(url, allow_redirects=False)
            assert response.status_code == 200, (url, response.status_code)
    timings: list[list[float]] = [[] for _ in urls]
    for n in range(SAMPLES):
        # Each server goes first in every other round, so that neither always follows.
        order = list(enumerate(urls)) if n % 2 == 0 else list(reversed(list(enumerate(urls))))
        for index, url in order:
            started = time.perf_counter()
            response = session.get(url, allow_redirects=False)
            timings[index].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    results = []
    for values in timings:
        values.sort()
        results.append((statistics.median(values), values[int(len(values) * 0.95) - 1]))
    return results


def throughput(base: str, cookie: str, path: str) -> float:
    """Requests per second with CONCURRENCY connections, by wrk when it is installed (a
    client in C, which leaves the machine's cores to the server), else by Python threads."""
    import requests

    # A session that is not logged in would be answered by a redirect, fast and wrong.
    response = requests.get(
        base + path, cookies={"sessionid": cookie}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 200, (path, response.status_code)
    if shutil.which("wrk"):
        return throughput_by_wrk(base, cookie, path)
    done = []
    stop = time.perf_counter() + CONCURRENT_SECONDS

    def worker() -> None:
        session = requests.Session()
        session.cookies.set("sessionid", cookie)
        count = 0
        while time.perf_counter() < stop:
            if session.get(base + path, allow_redirects=False).status_code == 200:
                count += 1
        done.append(count)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def throughput_by_wrk(base: str, cookie: str, path: str) -> float:
    # Every answer that is not a 200 makes the run fail (wrk counts a redirect as done).
    script = Path(tempfile.mkdtemp(prefix="bench-wrk-")) / "status.lua"
    script.write_text(
        "others = 0\n"
        "response = function(status, headers, body)\n"
        "  if status ~= 200 then others = others + 1 end\n"
        "end\n"
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("not-200: %d\\n", others))\n'
        "end\n"
    )
    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONCURRENCY), "-d", f"{CONCURRENT_SECONDS}s",
         "-s", str(script), "-H", f"Cookie: sessionid={cookie}", base + path],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    shutil.rmtree(script.parent)
    output = result.stdout
    assert "not-200: 0" in output and "Socket errors" not in output, output
    return float(output.split("Requests/sec:")[1].split()[0])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    # Other work on the machine inflates every figure; the load before the run says how much.
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
        f"{platform.system()}{load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", metavar="REF", help="a commit to measure against, in turns")
    parser.add_argument(
        "--only",
        metavar="WORDS",
        help="with --compare, only the pages whose name has one of these comma-separated words",
    )
    parser.add_argument(
        "--gunicorn",
        metavar="ARGS",
        default=GUNICORN_ARGS,
        help=f'how to run gunicorn, e.g. "-w 2 -k gthread --threads 4" (default "{GUNICORN_ARGS}")',
    )
    parser.add_argument(
        "--billing",
        action="store_true",
        help="only the call records figures (bench/call_records.py); prints, writes nothing",
    )
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="only the requests per second (queue and customer list); prints, writes nothing",
    )
    args = parser.parse_args()
    refuse_without_postgres()
    host = machine()
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    people = seed()
    seed_help_centre()
    summarise_days()
    billing.seed_call_records()
    import requests

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    if args.compare:
        other_port = free_port()
        other_folder = checkout(args.compare)
        other_server = start_gunicorn(other_port, other_folder, args.gunicorn)
    server = start_gunicorn(port, gunicorn_args=args.gunicorn)
    try:
        customer_cookie = session_cookie(people["owner"])
        agent_cookie = session_cookie(people["agent"])
        customer = PageClient(sessionid=customer_cookie)
        agent = PageClient(sessionid=agent_cookie)
        plain_agent = PageClient(sessionid=session_cookie(people["plain agent"]))
        ticket = people["ticket"]
        greek = PageClient(django_language="el")
        pages = [
            ("customer list /tickets/", customer, "/tickets/"),
            ("ticket page /tickets/<ref>/", customer, f"/tickets/{ticket.reference}/"),
            ("customer dashboard /dashboard/", customer, "/dashboard/"),
            ("admin queue", agent, "/admin/tickets/ticket/"),
            ("admin dashboard", agent, "/admin/tickets/ticket/dashboard/"),
            ("admin home (the dashboard, then the apps)", agent, "/admin/"),
            ("admin ticket page", agent, f"/admin/tickets/ticket/{ticket.pk}/change/"),
            ("admin queue, agent not a superuser", plain_agent, "/admin/tickets/ticket/"),
            (
                "admin ticket page, agent not a superuser",
                plain_agent,
                f"/admin/tickets/ticket/{ticket.pk}/change/",
            ),
            ("help search, English", PageClient(), "/help/search/?q=password+backup"),
            ("help search, Greek", greek, "/help/search/?q=λογαριασμος+πληρωμη"),
            ("help search, typo (trigram)", PageClient(), "/help/search/?q=pasword+invoise"),
            ("help suggestions", customer, "/help/suggestions/?q=mailbox+quota+error"),
            ("help article", PageClient(), "/help/articles/bench-00042/"),
        ]
        loaded = [
            ("Admin queue", agent_cookie, "/admin/tickets/ticket/"),
            ("Customer list /tickets/", customer_cookie, "/tickets/"),
        ]
        billing_people = billing.people()
        billing_sessions = {}
        billing_clients = {}
        for key in ("owner", "big"):
            cookie = session_cookie(billing_people[key])
            billing_sessions[key] = requests.Session()
            billing_sessions[key].cookies.set("sessionid", cookie)
            billing_clients[key] = PageClient(sessionid=cookie)
        rates = []
        if args.billing:
            pass
        elif args.throughput:
            rates = [(name, throughput(base, cookie, path)) for name, cookie, path in loaded]
        elif args.compare:
            if args.only:
                words = args.only.split(",")
                pages = [page for page in pages if any(word in page[0] for word in words)]
            other_base = f"http://127.0.0.1:{other_port}"
            compared = [
                (name, *measure_alternating(session, [base + path, other_base + path]))
                for name, session, path in pages
            ]
        else:
            # The pages first, on workers that have served nothing else: the export and
            # the import below leave them larger.
            rows = []
            for name, session, path in pages:
                median, p95 = measure(session, base + path)
                rows.append((name, median, p95))
            rates = [(name, throughput(base, cookie, path)) for name, cookie, path in loaded]
        if not (args.throughput or args.compare):
            billing_rows = billing.measure_pages(
                measure, base, billing_clients["owner"], billing_clients["big"]
            )
            billing_rows += billing.measure_totals(
                {
                    "2,000 calls": billing_people["owner"].customer,
                    "50,000 calls": billing_people["big"].customer,
                }
            )
            billing_lines = billing.measure_export(
                base, billing_sessions["owner"], billing_sessions["big"], server.pid
            )
            billing_lines += billing.measure_import(base)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if args.compare:
            other_server.terminate()
            other_server.wait(timeout=10)
            shutil.rmtree(other_folder)

    client = "wrk" if shutil.which("wrk") else "Python threads"
    rate_lines = [
        f"{name}, {CONCURRENCY} concurrent connections ({client}) for {CONCURRENT_SECONDS} s: "
        f"{rate:.0f} requests/s"
        for name, rate in rates
    ] if not args.compare else []  # fmt: skip
    if args.throughput:
        print(f"Machine: {host}\ngunicorn {args.gunicorn}")
        print("\n".join(rate_lines))
        return
    if args.compare:
        print_comparison(host, args.compare, compared)
        return
    billing_report = [
        billing.data_line(),
        "",
        "| call records | median ms | p95 ms |",
        "|---|---:|---:|",
        *[f"| {name} | {median:.1f} | {p95:.1f} |" for name, median, p95 in billing_rows],
        "",
        *billing_lines,
    ]
    if args.billing:
        print(f"Machine: {host}\ngunicorn {args.gunicorn}\n")
        print("\n".join(billing_report))
        return

    lines = [
        f"Machine: {host}",
        f"Data: {CUSTOMERS:,} customers, {TICKETS:,} tickets, {MESSAGES:,} messages, "
        f"{HELP_ARTICLES:,} help articles x {len(HELP_LANGUAGES)} languages (PostgreSQL)",
        f"gunicorn {args.gunicorn}, DEBUG off; {WARM_UP} warm-up then {SAMPLES} sequential "
        "requests",
        "",
        "| page | median ms | p95 ms |",
        "|---|---:|---:|",
        *[f"| {name} | {median:.1f} | {p95:.1f} |" for name, median, p95 in rows],
        "",
        *rate_lines,
        "",
        *billing_report,
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "RESULTS.md"
    # The sections written by hand below the figures (where the time goes) are kept.
    previous = results.read_text(encoding="utf-8") if results.exists() else ""
    kept = previous[previous.find("\n## ") :] if "\n## " in previous else ""
    results.write_text(
        "# Benchmark results (`make bench`)\n\n" + report + "\n" + kept, encoding="utf-8"
    )


def print_comparison(host: str, ref: str, compared: list) -> None:
    print(f"Machine: {host}")
    print(
        f"this commit against {ref}, the same page requested of each in turn "
        f"({WARM_UP} warm-up then {SAMPLES} rounds); ratio = this / {ref}"
    )
    print()
    print(f"| page | this median / p95 ms | {ref} median / p95 ms | ratio of medians | of p95 |")
    print("|---|---:|---:|---:|---:|")
    for name, (median, p95), (other_median, other_p95) in compared:
        print(
            f"| {name} | {median:.1f} / {p95:.1f} | {other_median:.1f} / {other_p95:.1f} "
            f"| {median / other_median:.2f} | {p95 / other_p95:.2f} |"
        )


if __name__ == "__main__":
    main()
