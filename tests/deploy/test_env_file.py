"""deploy/portal.env.example lists every environment variable the portal reads, with its
default, and nothing the portal no longer reads."""

import subprocess
import sys

import pytest

from tests.deploy.files import (
    ENV_FILE,
    NO_DEFAULT,
    ROOT,
    DynamicRead,
    env_file,
    env_reads_in_source,
    env_reads_of_the_portal,
    parse_env_file,
    rendered_default,
)


def test_every_variable_the_portal_reads_is_in_the_file():
    missing = sorted(set(env_reads_of_the_portal()) - set(env_file()))
    assert missing == [], f"add to {ENV_FILE.name}, with a comment and the default: {missing}"


def test_every_variable_in_the_file_is_read_by_the_portal():
    stale = sorted(set(env_file()) - set(env_reads_of_the_portal()))
    assert stale == [], f"{ENV_FILE.name} lists variables nothing reads: {stale}"


def test_each_default_shown_is_the_codes():
    reads = env_reads_of_the_portal()
    wrong = {}
    for name, line in env_file().items():
        defaults = {rendered_default(d) for d in reads.get(name, []) if d is not NO_DEFAULT}
        if not line.set and defaults and line.value not in defaults:
            wrong[name] = (line.value, sorted(defaults))
    assert wrong == {}


def test_the_scan_finds_every_way_of_reading_a_variable():
    source = """
import os
A = os.environ.get("READ_BY_GET", "x")
B = os.environ["READ_BY_INDEX"]
C = os.getenv("READ_BY_GETENV")
os.environ.setdefault("READ_BY_SETDEFAULT", "portal.settings")
D = _env_int(
    "READ_ACROSS_LINES", 60 * 60 * 3
)
E = _env_bool("READ_AS_BOOL", False)
F = _env_list("READ_AS_LIST", ["GR", "CY"])
if "READ_BY_IN" in os.environ:
    pass

def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default
"""
    reads = env_reads_in_source(source)
    assert set(reads) == {
        "READ_BY_GET",
        "READ_BY_INDEX",
        "READ_BY_GETENV",
        "READ_BY_SETDEFAULT",
        "READ_ACROSS_LINES",
        "READ_AS_BOOL",
        "READ_AS_LIST",
        "READ_BY_IN",
    }
    assert reads["READ_ACROSS_LINES"] == [10800]
    assert rendered_default(reads["READ_AS_BOOL"][0]) == "0"
    assert rendered_default(reads["READ_AS_LIST"][0]) == "GR,CY"
    assert reads["READ_BY_INDEX"] == [NO_DEFAULT]


def test_a_read_whose_name_is_not_written_out_is_refused():
    with pytest.raises(DynamicRead):
        env_reads_in_source("import os\nname = 'X'\nvalue = os.environ.get(name)\n")


def test_the_scan_sees_the_settings_and_the_entry_points():
    reads = env_reads_of_the_portal()
    # A few of each kind: settings' helpers, a read across lines, the old name of a
    # limit, and the settings module set by wsgi.py and celery.py.
    for name in (
        "SECRET_KEY",
        "EMAIL_URL",
        "SMS_LIMIT_PER_LOGIN_WINDOW",
        "SMS_LIMIT_PER_LOGIN_HALF_HOUR",
        "TICKETS_ATTACHMENT_MAX_MB",
        "DJANGO_SETTINGS_MODULE",
    ):
        assert name in reads


def test_lines_systemd_cannot_read_are_refused():
    with pytest.raises(ValueError, match="no comment"):
        parse_env_file("# a\nA=1\nB=2\n")
    with pytest.raises(ValueError, match="spaces"):
        parse_env_file("# the sender\nDEFAULT_FROM_EMAIL=Support <s@example.com>\n")
    with pytest.raises(ValueError, match="twice"):
        parse_env_file("# a\nA=1\n# a again\n#A=2\n")
    with pytest.raises(ValueError, match="neither"):
        parse_env_file("export A=1\n")


def test_the_values_set_in_the_file_pass_the_deploy_check(tmp_path):
    """The production values the file sets (with real keys in place of change-me) make
    `manage.py check --deploy` silent, as README "Settings" promises."""
    from cryptography.fernet import Fernet

    env = {
        "PATH": "/usr/bin:/bin",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    for name, line in env_file().items():
        if line.set:
            env[name] = line.value
    assert env["DEBUG"] == "0"
    env["SECRET_KEY"] = "deploy-test-" + "k7Hq2vXr9TzLmW4sPn8YbJc3Fd6Ga1Ue" * 2
    env["FIELD_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout
