"""A web process killed while a customer uploads a 10 MB attachment: nothing of the upload
stays in the private files, no request points to a missing file, and the customer's next
try goes through."""

import re
import socket
import time

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import make_customer, make_user
from tests.faults.processes import Browser, Gunicorn, portal_env
from tickets.defaults import install_defaults
from tickets.models import Attachment, Category, SlaPolicy, Ticket

pytestmark = pytest.mark.faults

LOG = b"".join(b"2026-12-02 10:%02d:00 error 500 on /checkout\n" % (n % 60) for n in range(230_000))


def multipart(fields: dict, file_field: str, file_name: str, content: bytes) -> tuple[str, bytes]:
    boundary = "----portal-fault-upload"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def test_a_web_process_killed_mid_upload_leaves_no_file_and_no_broken_request(
    database_url, redis, smtp_sink, twilio, same_keys, started, tmp_path
):
    install_defaults(Category, SlaPolicy)
    user = make_user("uma.upload", customer=make_customer(), role=User.Role.OWNER)
    client = Client()
    client.force_login(user)
    private = tmp_path / "private"
    env = {
        **portal_env(
            database_url=database_url,
            redis_url=redis.url,
            smtp_port=smtp_sink.port,
            twilio_url=twilio.base_url,
        ),
        "PRIVATE_MEDIA_ROOT": str(private),
    }
    web = started(Gunicorn(env, tmp_path, workers=1))
    browser = Browser(web.url, client.cookies["sessionid"].value)
    form = browser.get("/tickets/new/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    fields = {
        "csrfmiddlewaretoken": token,
        "subject": "A big log",
        "category": str(Category.objects.order_by("pk").first().pk),
        "priority": "3",
        "description": "The log of the failure.",
        "browser": "Firefox 128",
        "device": "Windows computer",
    }
    content_type, body = multipart(fields, "attachments", "server.log", LOG)
    assert len(body) > 9 * 1024 * 1024
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())

    with socket.create_connection(("127.0.0.1", web.port)) as upload:
        upload.sendall(
            (
                f"POST /tickets/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                f"Referer: {web.url}/tickets/new/\r\n\r\n"
            ).encode()
        )
        upload.sendall(body[: len(body) // 2])  # half of it is on its way...
        time.sleep(1)
        web.kill()  # ...when the web process dies

    assert not Ticket.objects.exists()
    assert not any(path.is_file() for path in private.rglob("*"))

    # The customer sends it again to a web process that lives: it goes through whole.
    web = started(Gunicorn(env, tmp_path, workers=1))
    browser = Browser(web.url, client.cookies["sessionid"].value)
    response = browser.post_form(
        "/tickets/new/",
        {key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"},
        files={"attachments": ("server.log", LOG, "text/plain")},
    )
    assert response.status_code == 302, response.text[:300]
    [attachment] = Attachment.objects.all()
    assert attachment.size == len(LOG)
    assert (private / attachment.file.name).read_bytes() == LOG
