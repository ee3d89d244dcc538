"""deploy/nginx/portal.conf in a real nginx: `nginx -t`, then the site served on free ports
in front of a small HTTP server standing in for gunicorn, with a self-signed certificate
made by openssl."""

import http.client
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from portal.net import client_ip
from tests.deploy.files import NGINX_SITE, env_file, require_tool

HOST = "support.example.com"
MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Backend(BaseHTTPRequestHandler):
    """gunicorn's stand-in: records each request it gets, answers 200 "backend"."""

    seen: list[dict] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append(
            {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "7")
        self.end_headers()
        self.wfile.write(b"backend")

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Site:
    http_port: int
    https_port: int
    static: Path
    private: Path
    cert: Path
    seen: list[dict] = field(default_factory=list)

    def request(
        self, method: str, path: str, *, tls: bool = True, headers: dict | None = None, body=None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        if tls:
            context = ssl.create_default_context(cafile=str(self.cert))
            context.check_hostname = False  # 127.0.0.1 stands for support.example.com
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=10
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        content = response.read()
        conn.close()
        return response, content

    def announce_body(self, path: str, length: int) -> str:
        """The status line nginx answers to a request announcing `length` bytes with
        `Expect: 100-continue`: 100 when it would read the body, 413 when it is too large.
        No body is sent."""
        context = ssl.create_default_context(cafile=str(self.cert))
        context.check_hostname = False
        raw = socket.create_connection(("127.0.0.1", self.https_port), timeout=10)
        with context.wrap_socket(raw) as conn:
            conn.sendall(
                f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\n"
                f"Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {length}\r\nExpect: 100-continue\r\n\r\n".encode()
            )
            return conn.recv(4096).split(b"\r\n", 1)[0].decode()


def _site_conf(site: Site, backend_port: int, key: Path) -> str:
    """portal.conf with the machine's paths and ports replaced by the test's; each
    replaced text must be in the file, so that the test runs the site as written."""
    text = NGINX_SITE.read_text()
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{site.http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{site.https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/portal/tls/fullchain.pem", str(site.cert)),
        ("/etc/portal/tls/privkey.pem", str(key)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{backend_port};"),
        ("/srv/portal/staticfiles/", f"{site.static}/"),
    ]:
        assert old in text, f"portal.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def _nginx_conf(tmp: Path, site_conf: Path) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    mime = '    include "/etc/nginx/mime.types";' if Path("/etc/nginx/mime.types").exists() else ""
    return f"""
{"user root root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
{mime}
    default_type application/octet-stream;
    access_log off;
{temp}
    uwsgi_temp_path {tmp / "uwsgi"};
    scgi_temp_path {tmp / "scgi"};
    include {site_conf};
}}
"""


@pytest.fixture
def nginx_files(tmp_path) -> Iterator[tuple[str, Path, Site]]:
    nginx = require_tool(
        "nginx", candidates=("/usr/sbin/nginx",), install="apt-get install nginx-light"
    )
    openssl = require_tool(
        "openssl", candidates=("/usr/bin/openssl",), install="apt-get install openssl"
    )
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    static, private = tmp_path / "staticfiles", tmp_path / "private"
    static.mkdir()
    private.mkdir()
    backend = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
    _Backend.seen = []
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    site = Site(_free_port(), _free_port(), static, private, cert, _Backend.seen)
    site_conf = tmp_path / "portal.conf"
    site_conf.write_text(_site_conf(site, backend.server_address[1], key))
    conf = tmp_path / "nginx.conf"
    conf.write_text(_nginx_conf(tmp_path, site_conf))
    try:
        yield nginx, conf, site
    finally:
        backend.shutdown()
        backend.server_close()


@pytest.fixture
def site(nginx_files, tmp_path) -> Iterator[Site]:
    nginx, conf, site = nginx_files
    log = (tmp_path / "nginx.out").open("wb")
    process = subprocess.Popen(
        [nginx, "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", site.https_port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "nginx.out").read_text()
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield site
    finally:
        # nginx and its worker: the process group this test started.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


def test_nginx_accepts_the_site(nginx_files, tmp_path):
    nginx, conf, _ = nginx_files
    check = subprocess.run(
        [nginx, "-t", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "test is successful" in check.stderr


def test_the_portal_gets_the_headers_it_trusts_and_not_the_clients(site):
    response, body = site.request(
        "GET",
        "/tickets/?page=2",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"},
    )
    assert (response.status, body) == (200, b"backend")
    assert response.getheader("Server") == "nginx"  # no version (server_tokens off)
    (seen,) = site.seen
    headers = seen["headers"]
    assert seen["path"] == "/tickets/?page=2"
    assert headers["Host"] == HOST
    assert headers.get_all("X-Forwarded-Proto") == ["https"]
    assert headers["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"

    # What the portal makes of them, with the TRUSTED_PROXY_COUNT of portal.env.example:
    # the address nginx saw, not the one the client wrote; and HTTPS.
    proxies = int(env_file()["TRUSTED_PROXY_COUNT"].value)
    meta = {
        "HTTP_X_FORWARDED_FOR": headers["X-Forwarded-For"],
        "HTTP_X_FORWARDED_PROTO": headers["X-Forwarded-Proto"],
        "REMOTE_ADDR": "127.0.0.1",
    }
    with override_settings(
        TRUSTED_PROXY_COUNT=proxies,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        ALLOWED_HOSTS=[HOST],
    ):
        request = RequestFactory().get("/tickets/", HTTP_HOST=headers["Host"], **meta)
        assert client_ip(request) == "127.0.0.1"
        assert request.is_secure()
        assert request.get_host() == HOST


def test_plain_http_is_redirected_and_the_api_refused(site):
    response, _ = site.request("GET", "/tickets/new/?priority=1", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/tickets/new/?priority=1"

    response, body = site.request(
        "PUT",
        "/api/v1/customers/C-1/numbers",
        tls=False,
        headers={"Authorization": "Bearer pbt_x", "Content-Type": "application/json"},
        body=b'{"numbers": []}',
    )
    assert response.status == 403
    assert b"HTTPS is required" in body
    assert site.seen == []


def test_bodies_up_to_what_the_portal_accepts_pass_and_larger_get_413(site):
    largest_message = (
        settings.TICKETS_ATTACHMENT_MAX_BYTES * settings.TICKETS_ATTACHMENTS_PER_MESSAGE
    )
    # A message with every attachment at its largest, and its form.
    assert site.announce_body("/tickets/new/", largest_message + MIB) == "HTTP/1.1 100 Continue"
    assert (
        site.announce_body("/tickets/new/", 110 * MIB + 1)
        == "HTTP/1.1 413 Request Entity Too Large"
    )
    # The billing API reads up to BILLING_API_MAX_BODY_BYTES, and not a byte more.
    api = "/api/v1/call-records"
    assert site.announce_body(api, settings.BILLING_API_MAX_BODY_BYTES) == "HTTP/1.1 100 Continue"
    assert site.announce_body(api, settings.BILLING_API_MAX_BODY_BYTES + 1).startswith(
        "HTTP/1.1 413"
    )
    assert site.announce_body("/tickets/new/", settings.BILLING_API_MAX_BODY_BYTES).startswith(
        "HTTP/1.1 413"
    )
    assert site.seen == []

    # A body that is sent arrives whole.
    body = os.urandom(3 * MIB)
    response, _ = site.request("PUT", "/api/v1/invoices/INV-1", body=body)
    assert response.status == 200
    assert site.seen[0]["body"] == body


def test_static_files_are_served_hashed_for_a_year_and_private_files_never(site):
    (site.static / "portal.0123456789ab.css").write_text("body{}")
    (site.static / "portal.css").write_text("body{}")
    (site.private / "secret.txt").write_text("private attachment")

    response, body = site.request("GET", "/static/portal.0123456789ab.css")
    assert (response.status, body) == (200, b"body{}")
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"

    response, _ = site.request("GET", "/static/portal.css")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "max-age=3600"
    assert site.seen == []  # nginx served them itself

    for path in (
        "/static/../private/secret.txt",
        "/static/..%2fprivate/secret.txt",
        "/static../private/secret.txt",
        "/private/secret.txt",
        "/secret.txt",
    ):
        response, body = site.request("GET", path)
        assert b"private attachment" not in body, path
