"""Every HTML page carries a Content-Security-Policy that allows the portal's own scripts
and styles only: enforced in production, report-only while developing (DEBUG on). gunicorn
does not announce itself in the `Server` header."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# Asks for the home page through Django's test client in a fresh process, so that the
# settings are read from the environment given.
GET_HOME_HEADERS = (
    "import json, django; django.setup(); "
    "from django.test import Client; from django.test.utils import override_settings; "
    "storages = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}, "
    "'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}; "
    "ctx = override_settings(ALLOWED_HOSTS=['testserver'], STORAGES=storages); ctx.enable(); "
    "response = Client().get('/', secure=True); "
    "print(json.dumps({'status': response.status_code, "
    "'enforced': response.headers.get('Content-Security-Policy'), "
    "'report_only': response.headers.get('Content-Security-Policy-Report-Only')}))"
)


def _home_headers(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", GET_HOME_HEADERS],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "sqlite:///:memory:",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_with_debug_off_pages_enforce_a_policy_of_own_scripts_and_styles_only():
    headers = _home_headers({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert headers["status"] == 200
    assert headers["report_only"] is None
    policy = _directives(headers["enforced"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_with_debug_on_pages_report_violations_without_blocking():
    headers = _home_headers({"DEBUG": "1"})
    assert headers["status"] == 200
    assert headers["enforced"] is None
    policy = _directives(headers["report_only"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        reverse("portal:home"),
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("accounts:password_reset"),
        "/admin/login/",
    ],
)
def test_public_and_admin_pages_carry_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers.get("Content-Security-Policy") or response.headers.get(
        "Content-Security-Policy-Report-Only"
    )
    assert policy
    assert "'unsafe-inline'" not in policy
    assert _directives(policy)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_pages_of_a_logged_in_customer_carry_the_policy(owner_client):
    response = owner_client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    policy = response.headers.get("Content-Security-Policy") or response.headers.get(
        "Content-Security-Policy-Report-Only"
    )
    assert _directives(policy)["style-src"] == ["'self'"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_started_from_the_project_does_not_name_itself_in_the_server_header():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body, server_header = r.read(), r.headers.get("Server")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert body == b"ok"
    assert "gunicorn" not in (server_header or "").lower()
