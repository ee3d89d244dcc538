"""The two-node drill (issue #16): two web processes and two Celery workers on separate
working folders (no shared disk), one beat, sharing only the database, Redis and the
bucket. A customer logs in on node A, opens a request with an attachment there, reads it
on node B with the same session, asks for the PIN by SMS on B, node A is killed, and the
customer replies on B: every email and SMS goes out once."""

from pathlib import Path

import pytest
import requests

from accounts.models import User
from outbox.models import OutboundEmail
from sms.models import SmsMessage
from supportpin.services import support_pin_activate
from tests.factories import PASSWORD, make_customer, make_user
from tests.faults.outcomes import everything_went_out_once
from tests.faults.processes import Browser, CeleryBeat, CeleryWorker, Gunicorn, wait_until
from tests.s3_standin import CREDENTIALS
from tickets.defaults import install_defaults
from tickets.models import Attachment, Category, SlaPolicy, Ticket

pytestmark = pytest.mark.faults

LOG = b"2026-12-02 10:00:00 error 502 on /checkout (upstream timed out)\n" * 2000


def node_env(env: dict, storage_url: str, folder: Path) -> dict:
    """One node's environment: the shared services, and a working folder of its own."""
    (folder / "private").mkdir(parents=True)
    (folder / "tmp").mkdir()
    return {
        **env,
        **CREDENTIALS,
        "PRIVATE_STORAGE_URL": storage_url,
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "TMPDIR": str(folder / "tmp"),
    }


def open_request(browser: Browser, subject: str, files: dict | None = None) -> None:
    response = browser.post_form(
        "/tickets/new/",
        {
            "subject": subject,
            "category": Category.objects.order_by("pk").first().pk,
            "priority": "3",
            "description": "It fails for every customer since 10:00.",
            "browser": "Firefox 128",
            "device": "Windows computer",
        },
        files=files,
    )
    assert response.status_code == 302, response.text[:500]


def test_a_customer_goes_on_on_node_b_when_node_a_dies_and_everything_goes_out_once(
    env, s3_bucket, settings, smtp_sink, twilio, started, tmp_path
):
    s3, bucket, prefix = s3_bucket
    # The password is checked by node A: hashed with a hasher of production.
    settings.PASSWORD_HASHERS = ["accounts.hashers.PortalArgon2PasswordHasher"]
    install_defaults(Category, SlaPolicy)
    customer = make_customer(name="Two Nodes Ltd", contract_number="C-1616")
    user = make_user("nina.nodes", customer=customer, role=User.Role.OWNER, mobile="+306912341616")
    support_pin_activate(user=user, acting_user=user)
    a_env = node_env(env, settings.PRIVATE_STORAGE_URL, tmp_path / "node-a")
    b_env = node_env(env, settings.PRIVATE_STORAGE_URL, tmp_path / "node-b")
    web_a = started(Gunicorn(a_env, tmp_path / "node-a"))
    worker_a = started(CeleryWorker(a_env, tmp_path / "node-a", "node-a@localhost", beat=False))
    web_b = started(Gunicorn(b_env, tmp_path / "node-b"))
    started(CeleryWorker(b_env, tmp_path / "node-b", "node-b@localhost", beat=False))
    started(CeleryBeat(b_env, tmp_path / "node-b", "node-b"))

    # On node A: the login, and a request with a log attached.
    on_a = Browser(web_a.url, "")
    login = on_a.post_form("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert login.status_code == 302, login.text[:500]
    assert on_a.cookies["sessionid"]
    open_request(on_a, "Checkout times out", files={"attachments": ("server.log", LOG)})
    ticket = Ticket.objects.get(subject="Checkout times out")
    attachment = Attachment.objects.get()

    # On node B, with the same session: the attachment, from the bucket alone.
    on_b = Browser(web_b.url, on_a.cookies["sessionid"])
    download = on_b.get(f"/tickets/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download.content == LOG
    ask = on_b.post_form("/support-pin/send/", {}, form_page="/support-pin/")
    assert ask.status_code == 302, ask.text[:500]
    assert "is on its way" in on_b.get(ask.headers["Location"]).text

    # The PIN reaches the customer (from either worker): an SMS in flight on a worker
    # killed is by design never sent again (test_outages.py), so the drill waits for it.
    assert wait_until(lambda: len(twilio.accepted) == 1, 30)

    web_a.kill()  # SIGKILL to the process group: node A is gone, web and worker
    worker_a.kill()
    with pytest.raises(requests.ConnectionError):
        on_a.get("/tickets/")

    reply = on_b.post_form(f"/tickets/{ticket.reference}/", {"body": "Still down at 11:00."})
    assert reply.status_code == 302, reply.text[:500]
    page = on_b.get(f"/tickets/{ticket.reference}/")
    assert page.status_code == 200
    assert "Still down at 11:00." in page.text
    # A request opened after node A died: its email can only go out through node B.
    open_request(on_b, "Invoices page is blank")
    assert OutboundEmail.objects.count() == 2

    assert wait_until(lambda: everything_went_out_once(smtp_sink, twilio), 45), (
        list(OutboundEmail.objects.values_list("status", "last_error")),
        list(SmsMessage.objects.values_list("status", flat=True)),
    )
    wait_until(lambda: False, 3)  # later sweeps of node B's beat send nothing more
    assert everything_went_out_once(smtp_sink, twilio)
    assert len(twilio.accepted) == 1

    # Only the bucket holds the file: neither node wrote it to its own folder.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert f"{prefix}/{attachment.file.name}" in keys
    for node in ("node-a", "node-b"):
        assert not any(path.is_file() for path in (tmp_path / node / "private").rglob("*"))
