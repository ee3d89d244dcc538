"""The restore drill: a backup (`manage.py backup`) restored into a new database and a new
files folder (`manage.py restore`) serves the same requests and attachments."""

import subprocess
import sys

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.factories import make_customer, make_user, png_bytes, upload
from tests.faults.processes import ROOT, Browser, Gunicorn, portal_env
from tickets import services
from tickets.attachments import check_upload
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.faults


@pytest.fixture
def new_database(database_url):
    name = f"{connection.settings_dict['NAME']}_restored"
    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_restored_backup_serves_the_same_requests_and_attachments(
    database_url, new_database, same_keys, settings, tmp_path, started
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    owner = make_user("bob.backup", customer=make_customer(), role=User.Role.OWNER)
    picture = png_bytes(size=(64, 48))
    ticket = services.ticket_create(
        requester=owner,
        subject="Restore me",
        description="A screenshot of the error.",
        category=Category.objects.order_by("pk").first(),
        priority=3,
        files=[check_upload(upload("error.png", picture))],
    )
    attachment = ticket.attachments.get()
    client = Client()
    client.force_login(owner)  # the session is backed up and restored with the rest
    env = portal_env(database_url=database_url, redis_url="", smtp_port=9, twilio_url="")
    backup = tmp_path / "backup"
    manage({**env, "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)}, "backup", str(backup))

    restored_files = tmp_path / "restored-private"
    restored = {**env, "DATABASE_URL": new_database, "PRIVATE_MEDIA_ROOT": str(restored_files)}
    manage(restored, "restore", str(backup))
    web = started(Gunicorn(restored, tmp_path, workers=1))
    browser = Browser(web.url, client.cookies["sessionid"].value)

    page = browser.get(f"/tickets/{ticket.reference}/")
    assert page.status_code == 200
    assert "Restore me" in page.text
    download = browser.get(f"/tickets/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download.content == picture


def test_a_restore_refuses_a_database_that_is_not_empty(database_url, same_keys, tmp_path):
    env = portal_env(database_url=database_url, redis_url="", smtp_port=9, twilio_url="")
    backup = tmp_path / "backup"
    manage({**env, "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}, "backup", str(backup))

    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup)],
        cwd=ROOT,
        env={**env, "PRIVATE_MEDIA_ROOT": str(tmp_path / "other")},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "The database is not empty" in done.stderr
