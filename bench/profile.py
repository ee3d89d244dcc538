"""Where a page's time goes: the bench pages profiled in-process on the bench data.

    DATABASE_URL=postgres://.../portal_bench .venv/bin/python bench/profile.py [page ...]
        [--requests N] [--cprofile N [--sort cumulative] [--callers PATTERN]] [--explain]
        [--sql N]

Runs the pages of `make bench` (seed the database with `make bench` first) through
Django's WSGI handler in this process, with the bench's production-like settings (DEBUG
off), after a warm-up, and prints for each page the median time of a request split into:
each middleware's own time (the time spent in it, less the time of the middleware and
view inside it), the view without its template, the template rendering, and the SQL
within each of them (count and time, measured around the database driver). `--sql N`
lists the N slowest statements, `--explain` runs EXPLAIN (ANALYZE, BUFFERS) on them, and
`--cprofile N` prints the N functions with the most own time (cProfile; `--sort
cumulative`: with the time of what they called), and `--callers
PATTERN` who called the functions whose name matches PATTERN (e.g. "trans_real.py:368").

Times in-process leave out gunicorn and the network; they are for comparing parts of
one page, and the same page before and after a change, not for the bench's figures.
"""

import sys
from pathlib import Path

# This file has the name of the standard library's `profile`, which cProfile imports: its
# own folder must not be first on the path, the project's folder is.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from bench import call_records  # noqa: E402
from bench.run import SERVER_ENV, bench_people, refuse_without_postgres  # noqa: E402

WARM_UP = 20
SORTS = {"tottime": "own time", "cumulative": "time with what it called"}
REQUESTS = 100
VIEW = "view (without template)"
TEMPLATE = "template rendering"
SESSION_AND_LOGIN = "session and login load (auth.get_user)"
PIN_BAR = "Support PIN bar lookup (pin_bar_for)"


class Clock:
    """Time per part of the request: a stack of the parts being run, each charged its own
    time (the time inside it, less the parts it called), and SQL charged to the part that
    ran it."""

    def __init__(self) -> None:
        self.stack: list[list] = []
        self.own: dict[str, float] = defaultdict(float)
        self.sql_time: dict[str, float] = defaultdict(float)
        self.sql_count: dict[str, int] = defaultdict(int)
        self.statements: list[tuple[float, str, object, str]] = []

    @contextmanager
    def part(self, name: str):
        started = time.perf_counter()
        self.stack.append([name, 0.0])
        try:
            yield
        finally:
            _, inner = self.stack.pop()
            spent = time.perf_counter() - started
            self.own[name] += spent - inner
            if self.stack:
                self.stack[-1][1] += spent

    def current(self) -> str:
        return self.stack[-1][0] if self.stack else "outside the handler"

    def sql(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            part = self.current()
            self.sql_time[part] += spent
            self.sql_count[part] += 1
            self.statements.append((spent, sql, params, part))


CLOCK = Clock()


def instrument_middleware() -> None:
    """Charge each middleware its own time: wrap its __call__, and the get_response it
    was given (the rest of the chain), which runs as another part."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for path in settings.MIDDLEWARE:
        cls = import_string(path)
        name = path.rsplit(".", 1)[1]
        original = cls.__call__

        def call(self, request, _original=original, _name=name):
            with CLOCK.part(_name):
                return _original(self, request)

        cls.__call__ = call


def instrument_view_and_templates() -> None:
    from django.core.handlers.base import BaseHandler
    from django.template.backends.django import Template

    get_response = BaseHandler._get_response
    render = Template.render

    def _get_response(self, request):
        with CLOCK.part(VIEW):
            return get_response(self, request)

    def template_render(self, context=None, request=None):
        # Only the page's template: the templates it includes render inside it.
        if TEMPLATE in (name for name, _ in CLOCK.stack):
            return render(self, context, request)
        with CLOCK.part(TEMPLATE):
            return render(self, context, request)

    BaseHandler._get_response = _get_response
    Template.render = template_render


def instrument_lazy_loads() -> None:
    """The session and the login are loaded by whatever first reads request.user, and the
    PIN bar's lookup runs inside the template: each is charged as a part of its own."""
    import django.contrib.auth

    import supportpin.templatetags.supportpin as pin_tags

    get_user = django.contrib.auth.get_user
    pin_bar_for = pin_tags.pin_bar_for

    def timed_get_user(request):
        with CLOCK.part(SESSION_AND_LOGIN):
            return get_user(request)

    def timed_pin_bar_for(*args, **kwargs):
        with CLOCK.part(PIN_BAR):
            return pin_bar_for(*args, **kwargs)

    django.contrib.auth.get_user = timed_get_user
    pin_tags.pin_bar_for = timed_pin_bar_for


def client_for(cookie: str | None):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies["sessionid"] = cookie
    return client


def pages() -> list[tuple[str, str, str]]:
    """(name, who, path): the pages `make bench` measures, with the customer's dashboard."""
    people = bench_people()
    ticket = people["ticket"]
    month = call_records.seeded_months()[-1]
    return [
        ("customer-list", "customer", "/tickets/"),
        ("customer-ticket", "customer", f"/tickets/{ticket.reference}/"),
        ("customer-dashboard", "customer", "/dashboard/"),
        ("admin-queue", "agent", "/admin/tickets/ticket/"),
        ("admin-dashboard", "agent", "/admin/tickets/ticket/dashboard/"),
        ("admin-home", "agent", "/admin/"),
        ("admin-ticket", "agent", f"/admin/tickets/ticket/{ticket.pk}/change/"),
        ("plain-agent-queue", "plain agent", "/admin/tickets/ticket/"),
        ("plain-agent-ticket", "plain agent", f"/admin/tickets/ticket/{ticket.pk}/change/"),
        ("help-search", "anonymous", "/help/search/?q=password+backup"),
        ("help-article", "anonymous", "/help/articles/bench-00042/"),
        ("call-records", "customer", f"/billing/call-records/?month={month}"),
        ("call-records-50k", "big", f"/billing/call-records/?month={month}"),
    ]


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def profile_page(name: str, client, path: str, args: argparse.Namespace) -> None:
    global CLOCK
    from django.db import connection

    for _ in range(WARM_UP):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    totals = []
    parts: dict[str, list[float]] = defaultdict(list)
    sql_time: dict[str, list[float]] = defaultdict(list)
    sql_count: dict[str, int] = {}
    slowest: dict[str, tuple[float, object, str]] = {}
    profiler = cProfile.Profile() if args.cprofile else None
    with connection.execute_wrapper(lambda *a: CLOCK.sql(*a)):
        for _ in range(args.requests):
            CLOCK = Clock()
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(path)
            if profiler:
                profiler.disable()
            totals.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
            for part, spent in CLOCK.own.items():
                parts[part].append(spent)
            for part in set(CLOCK.own) | set(CLOCK.sql_time):
                sql_time[part].append(CLOCK.sql_time.get(part, 0.0))
                sql_count[part] = CLOCK.sql_count.get(part, 0)
            for spent, sql, params, part in CLOCK.statements:
                if spent > slowest.get(sql, (0.0,))[0]:
                    slowest[sql] = (spent, params, part)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000 if values else 0.0

    print(f"\n== {name}  {path}  ({args.requests} requests after {WARM_UP} warm-up)")
    p95 = sorted(totals)[int(len(totals) * 0.95) - 1] * 1000
    queries = sum(sql_count.values())
    print(f"   request median {ms(totals):.2f} ms, p95 {p95:.2f} ms, {queries} queries")
    print(f"   {'part':<42} {'own ms':>8} {'of which SQL':>13} {'queries':>8}")
    order = sorted(parts, key=lambda part: -ms(parts[part]))
    for part in order:
        print(
            f"   {part:<42} {ms(parts[part]):8.2f} {ms(sql_time[part]):13.2f} "
            f"{sql_count.get(part, 0):8d}"
        )
    if args.sql:
        print("   slowest statements (once each, slowest run):")
        ranked = sorted(slowest.items(), key=lambda item: -item[1][0])[: args.sql]
        for sql, (spent, params, part) in ranked:
            print(f"   {spent * 1000:7.2f} ms [{part}] {sql[:300]}")
            if args.explain and sql.lstrip().upper().startswith("SELECT"):
                for line in explain(sql, params).splitlines():
                    print(f"        {line}")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.cprofile)
        if args.callers:
            stats.print_callers(args.callers)
        print(f"   cProfile, by {SORTS[args.sort]} (all requests):")
        print("\n".join("   " + line for line in out.getvalue().splitlines()[6:]))


def main() -> None:
    refuse_without_postgres()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names (default: all)")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--sort", choices=sorted(SORTS), default="tottime")
    parser.add_argument(
        "--callers",
        metavar="PATTERN",
        help="with --cprofile, who called the functions matching PATTERN, and how often",
    )
    parser.add_argument("--sql", type=int, default=0, metavar="N")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.run import session_cookie

    # DEBUG off serves the static files' hashed names, from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)

    instrument_middleware()
    instrument_view_and_templates()
    instrument_lazy_loads()
    people = bench_people()
    cookies = {
        "customer": session_cookie(people["owner"]),
        "agent": session_cookie(people["agent"]),
        "plain agent": session_cookie(people["plain agent"]),
        "big": session_cookie(call_records.people()["big"]),
        "anonymous": None,
    }
    chosen = [page for page in pages() if not args.pages or page[0] in args.pages]
    if not chosen:
        sys.exit(f"bench: no such page; pages: {', '.join(page[0] for page in pages())}")
    for name, who, path in chosen:
        profile_page(name, client_for(cookies[who]), path, args)


if __name__ == "__main__":
    main()
