"""deploy/systemd/: the web, worker and beat units, as systemd and the portal read them."""

import configparser
import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.deploy.files import README, ROOT, SYSTEMD, env_file, require_tool

UNITS = ("portal-web.service", "portal-worker.service", "portal-beat.service")
VENV_BIN = "/srv/portal/.venv/bin"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def exec_start(name: str) -> list[str]:
    return shlex.split(unit(name)["Service"]["ExecStart"])


def option(args: list[str], *names: str) -> str:
    for i, arg in enumerate(args):
        if arg in names:
            return args[i + 1]
    raise AssertionError(f"none of {names} in {args}")


def seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    assert match, value
    return int(match[1]) * (60 if match[2] == "min" else 1)


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_as_the_portal_user_from_the_environment_file(name):
    service = unit(name)["Service"]
    assert service["EnvironmentFile"] == "/etc/portal/portal.env"
    assert service["User"] == "portal" and service["Group"] == "portal"
    assert service["Restart"] == "on-failure"
    assert service["WorkingDirectory"] == "/srv/portal"
    assert exec_start(name)[0].startswith(VENV_BIN + "/")
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_is_hardened_and_writes_only_where_the_portal_does(name):
    service = unit(name)["Service"]
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "true"
    assert service["ProtectHome"] == "true"
    private_root = env_file()["PRIVATE_MEDIA_ROOT"].value
    if name == "portal-beat.service":
        # Beat writes its schedule only, in its own state directory.
        schedule = option(exec_start(name), "--schedule", "-s")
        assert Path(schedule).parent == Path("/var/lib") / service["StateDirectory"]
        assert "ReadWritePaths" not in service
    else:
        assert service["ReadWritePaths"].split() == [private_root]


def test_the_web_unit_serves_portal_wsgi_with_the_workers_the_readme_recommends():
    args = exec_start("portal-web.service")
    assert args[0] == f"{VENV_BIN}/gunicorn"
    assert args[1] == "portal.wsgi:application"
    assert importlib.util.find_spec("portal.wsgi") is not None
    # README "Performance": on 2 cores `-w 4`, sync workers (gunicorn's default class).
    assert "`gunicorn portal.wsgi -w 4`" in " ".join(README.split())
    assert option(args, "--workers", "-w") == "4"
    assert not {"--worker-class", "-k", "--threads"} & set(args)
    # nginx's upstream (deploy/nginx/portal.conf).
    assert option(args, "--bind", "-b") == "127.0.0.1:8000"
    # gunicorn.conf.py (no Server header) is read from the working directory.
    assert (ROOT / "gunicorn.conf.py").exists()


def test_the_worker_stops_gracefully_and_waits_for_the_longest_task():
    args = exec_start("portal-worker.service")
    service = unit("portal-worker.service")["Service"]
    assert args[:4] == [f"{VENV_BIN}/celery", "-A", "portal", "worker"]
    assert importlib.util.find_spec("portal.celery") is not None
    # A stable name, so that a restarted worker takes back what it was sending.
    assert re.fullmatch(r"worker\d+@%H", option(args, "-n", "--hostname"))
    assert service["KillSignal"] == "SIGTERM"  # Celery's warm shutdown
    assert service["KillMode"] == "mixed"  # TERM to the main process alone
    assert seconds(service["TimeoutStopSec"]) > settings.CELERY_TASK_TIME_LIMIT


def test_there_is_one_beat_and_it_says_why_a_second_does_no_harm():
    args = exec_start("portal-beat.service")
    assert args[:4] == [f"{VENV_BIN}/celery", "-A", "portal", "beat"]
    assert [p.name for p in SYSTEMD.glob("*beat*")] == ["portal-beat.service"]
    text = (SYSTEMD / "portal-beat.service").read_text()
    assert "exactly one" in text.lower()
    assert "portal/beatlock.py" in text


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify on the units, with the executables of this checkout's
    virtual environment in place of /srv/portal's. A key systemd does not know, or a
    value it cannot parse, is only a warning to it, so any output fails the test."""
    analyze = require_tool(
        "systemd-analyze",
        candidates=("/usr/bin/systemd-analyze", "/bin/systemd-analyze"),
        install="apt-get install systemd",
    )
    venv_bin = str(Path(sys.executable).parent)
    for name in UNITS:
        text = (SYSTEMD / name).read_text()
        assert VENV_BIN in text
        (tmp_path / name).write_text(text.replace(VENV_BIN, venv_bin))
    check = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout + check.stderr == ""
