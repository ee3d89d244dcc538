"""With SENTRY_DSN set, an error in a page is reported (to a local stand-in of Sentry's
ingestion endpoint), tagged with the request id, without the secrets of the request."""

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "Sentry-pass-5521"
PIN = "739104"
TOKEN = "tok-sentry-a1b2c3d4e5"
CSRF_COOKIE = "csrfcookie0123456789abcdefghijklmn"

# The portal under a real WSGI server (as under gunicorn), one failing request to it.
FAIL_A_PAGE = f"""
import threading, urllib.error, urllib.parse, urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server
import django, sentry_sdk
django.setup()
from django.conf import settings
from django.core.wsgi import get_wsgi_application
settings.ROOT_URLCONF = "tests.portal.sentry_urls"

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
request = urllib.request.Request(
    f"http://127.0.0.1:{{server.server_port}}/fail/",
    data=urllib.parse.urlencode(
        {{"username": "ann", "password": "{PASSWORD}", "pin": "{PIN}"}}
    ).encode(),
    headers={{
        "Authorization": "Bearer {TOKEN}",
        "Cookie": "csrftoken={CSRF_COOKIE}",
        "X-Request-ID": "req-sentry-0016",
    }},
)
try:
    urllib.request.urlopen(request, timeout=20)
except urllib.error.HTTPError as error:
    print(error.code, error.headers["X-Request-ID"])
sentry_sdk.flush(10)
server.shutdown()
"""


class SentryStandin:
    """Takes envelopes as Sentry's ingestion endpoint does (POST /api/<project>/envelope/)."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, dict, bytes]] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":  # sentry-sdk compresses with brotli when it is installed
                    import brotli

                    body = brotli.decompress(body)
                standin.envelopes.append((self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.server.server_address[1]}/1"

    def events(self) -> list[dict]:
        events = []
        for _path, _headers, body in self.envelopes:
            lines = body.split(b"\n")
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    events.append(json.loads(payload))
        return events


@pytest.fixture
def sentry():
    standin = SentryStandin()
    yield standin
    standin.server.shutdown()
    standin.server.server_close()


def _fail_a_page(**env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": "sqlite://",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    return subprocess.run(
        [sys.executable, "-c", FAIL_A_PAGE],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_error_is_reported_with_the_request_id_and_without_the_secrets(sentry):
    result = _fail_a_page(SENTRY_DSN=sentry.dsn, SENTRY_ENVIRONMENT="staging")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500 req-sentry-0016"
    [(path, headers, body)] = [e for e in sentry.envelopes if b'"type":"event"' in e[2]]
    assert path == "/api/1/envelope/"
    assert "sentry_key=publickey" in headers["X-Sentry-Auth"]
    [event] = sentry.events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "req-sentry-0016"
    assert event["environment"] == "staging"
    assert event["request"]["url"].endswith("/fail/")
    assert event["request"]["method"] == "POST"
    assert event["request"]["headers"]["X-Request-Id"] == "req-sentry-0016"
    # The log line of the request, as a breadcrumb.
    [crumb] = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "tests.sentry"]
    assert crumb["message"] == "checking /fail/"
    text = body.decode()
    leaked = [s for s in (PASSWORD, PIN, TOKEN, CSRF_COOKIE) if s in text]
    assert leaked == []
    # Redacted, not dropped: the names are there to say what the request carried.
    frame = event["exception"]["values"][-1]["stacktrace"]["frames"][-1]
    assert frame["vars"]["pin"] == "[redacted]"


def test_without_sentry_dsn_nothing_is_sent(sentry):
    result = _fail_a_page()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500 req-sentry-0016"
    assert sentry.envelopes == []
