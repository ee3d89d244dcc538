"""Builders the tests share: people of a customer, a client whose requests commit, the
links a mailed message carries, Support PINs, and small real files of each type.

Fixtures live in the conftest files and call these; tests import from here, never from a
conftest."""

import csv
import importlib
import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from accounts.models import Customer, User
from billing.models import ApiToken, CallRecord, ContractDocument, Invoice, TrafficSample
from billing.selectors import MonthChoice
from supportpin.crypto import decrypt_secret
from supportpin.models import SupportPin
from supportpin.pin import support_pin_for
from supportpin.services import support_pin_activate

PASSWORD = "correct-Horse-battery-42"
TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token"


class CommittingClient(Client):
    """A test client whose every request ends like a committed transaction: the
    on_commit callbacks it registered run before the response is returned."""

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


def logged_in(user: User) -> CommittingClient:
    c = CommittingClient()
    c.force_login(user)
    return c


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    """An authenticator app of `user`, confirmed unless told otherwise."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def totp_code(device: TOTPDevice, *, steps_ago: int = 0) -> str:
    """The code the app of `device` shows now (or `steps_ago` time steps earlier)."""
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=-steps_ago
    )
    return f"{code:0{device.digits}d}"


def logged_in_verified(user: User) -> CommittingClient:
    """A client logged in as `user` past the second step (staff need one for the admin):
    the login gets an authenticator app, and the session is verified by it."""
    c = logged_in(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    session = c.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return c


def admin_log_in(page, username: str, device: TOTPDevice) -> None:
    """In the browser `page`, log a staff login in at the admin: the password, then the
    code of its authenticator app."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()


def make_customer(
    name: str = "Acme Hosting", plan: str = Customer.Plan.BASIC, **kwargs
) -> Customer:
    return Customer.objects.create(name=name, plan=plan, **kwargs)


def make_user(
    username: str,
    *,
    customer: Customer | None = None,
    role: str = "",
    password: str = PASSWORD,
    **kwargs,
) -> User:
    kwargs.setdefault("email", f"{username}@example.com")
    kwargs.setdefault("full_name", username.replace(".", " ").title())
    if kwargs.get("mobile"):
        # A mobile given here is one the login has verified; pass mobile_verified_at=None
        # for a number saved before verification existed.
        kwargs.setdefault("mobile_verified_at", timezone.now())
    user = User(username=username, customer=customer, role=role, **kwargs)
    user.set_password(password)
    user.save()
    return user


SMS_CODE = re.compile(r"\b(\d{3} \d{3})\b")


def sms_code_in(outbox: list, to: str) -> str:
    """The code of the last SMS sent to `to`, as the customer reads it (123 456)."""
    texts = [sms.body for sms in outbox if sms.to == to]
    assert texts, f"no SMS to {to} in {outbox}"
    found = SMS_CODE.search(texts[-1])
    assert found, f"no code in: {texts[-1]}"
    return found.group(1)


LINK = re.compile(r"https?://[^/\s]+(/[^\s\"<>]*)")


def link_in(message, path_prefix: str = "/") -> str:
    """The path of the first portal link in an email starting with `path_prefix`, so that
    a test follows the link that was mailed."""
    paths = [path for path in LINK.findall(message.body) if path.startswith(path_prefix)]
    assert paths, f"no link to {path_prefix} in: {message.body}"
    return paths[0]


def activate_pin(user: User) -> SupportPin:
    return support_pin_activate(user=user, acting_user=user)


def pin_of(user: User, at=None) -> str:
    """The PIN `user` reads from the bar at `at` (now by default)."""
    support_pin = SupportPin.objects.get(user=user)
    return support_pin_for(decrypt_secret(support_pin.encrypted_secret), at or timezone.now())


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def zip_bytes() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("server.log", "error 500 at 10:02\n")
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_article(
    slug: str,
    versions: dict[str, tuple[str, str, str]],
    *,
    section_slug: str = "general",
    published: bool = True,
    internal: bool = False,
):
    """A help centre article with a version per language given as (title, summary,
    body), saved through the service so that its search vector is current."""
    from helpcentre import services as help_services
    from helpcentre.models import Article, ArticleVersion, Section

    section, _ = Section.objects.get_or_create(
        slug=section_slug, defaults={"name": section_slug.replace("-", " ").title()}
    )
    article = Article.objects.create(
        section=section,
        slug=slug,
        is_internal=internal,
        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
    )
    for language, (title, summary, body) in versions.items():
        help_services.article_version_save(
            version=ArticleVersion(
                article=article, language=language, title=title, summary=summary, body=body
            ),
            acting_user=None,
        )
    return article


def raw_email(
    *,
    sender: str,
    to: str,
    subject: str = "Question",
    body: str = "Hello",
    charset: str = "utf-8",
    html: bool = False,
    headers: dict[str, str] | None = None,
    files: tuple[tuple[str, bytes], ...] = (),
    message_id: str | None = None,
) -> bytes:
    """An email as a mail client sends it (RFC 822 bytes): the body and an RFC 2047
    subject in `charset`, files named in `charset` (RFC 2231)."""
    from email.header import Header
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.utils import formatdate, make_msgid

    text = MIMEText(body, "html" if html else "plain", charset)
    if files:
        message = MIMEMultipart()
        message.attach(text)
        for name, content in files:
            part = MIMEApplication(content)
            part.add_header("Content-Disposition", "attachment", filename=(charset, "", name))
            message.attach(part)
    else:
        message = text
    message["From"] = sender
    message["To"] = to
    message["Subject"] = Header(subject, charset)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="client.example.net")
    for name, value in (headers or {}).items():
        message[name] = value
    return message.as_bytes()


def install_canned_replies() -> None:
    """The canned replies the data migration seeds, for tests that flush the database."""
    from tickets.models import CannedReply

    seeding = importlib.import_module("tickets.migrations.0005_seed_canned_replies")
    seeding.install_canned_replies(CannedReply)


# The numbers the `numbers` fixture of tests/billing gives the customers C-1001 and C-2002.
OWN_NUMBER = "+421905111222"
OTHER_NUMBER = "+421905333444"


def make_api_token(name: str = "Billing system") -> tuple[ApiToken, str]:
    """An integration's API token and its secret (which the portal does not keep)."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        name=name, key_hash=ApiToken.hash_of(secret), key_start=secret[:8]
    )
    return token, secret


def ndjson(rows: list) -> bytes:
    """Rows as NDJSON; a row given as str is written as it is (a malformed line)."""
    return b"".join(
        (row if isinstance(row, str) else json.dumps(row)).encode() + b"\n" for row in rows
    )


def csv_bytes(rows: list[dict]) -> bytes:
    """Rows as CSV with a header of the first row's keys."""
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


class ApiClient(CommittingClient):
    """An integration calling /api/v1/: over HTTPS unless told, with its token when given
    one."""

    def __init__(self, secret: str | None = None, *, https: bool = True) -> None:
        super().__init__(**({"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}))
        self.https = https

    def generic(self, method, path, data="", content_type="application/octet-stream", **extra):
        extra["secure"] = self.https
        return super().generic(method, path, data, content_type, **extra)


def multipart(fields: dict) -> dict:
    """Keyword arguments of a test client's put() that send `fields` (files as
    SimpleUploadedFile) as multipart/form-data, as a PUT from an integration does."""
    return {"data": encode_multipart(BOUNDARY, fields), "content_type": MULTIPART_CONTENT}


def this_month() -> MonthChoice:
    return MonthChoice.of(timezone.localdate())


def month_start(month: MonthChoice) -> datetime:
    return month.bounds()[0]


def make_calls(customer, count, *, month=None, number=OWN_NUMBER, prefix="r"):
    start = month_start(month or this_month())
    CallRecord.objects.bulk_create(
        CallRecord(
            record_id=f"{prefix}{n}",
            started_at=start + timedelta(days=n % 3, minutes=n),
            customer=customer,
            number=number,
            caller=number,
            callee="+302101234567",
            duration_seconds=60 + n,
            cost=Decimal("0.1000") + Decimal(n) / 10000,
            currency="EUR",
        )
        for n in range(count)
    )


def make_traffic(customer, ip, rates_in, *, out_factor=0.25, month=None):
    """One sample every 5 minutes with these mean rates in Mbit/s."""
    start = month_start(month or this_month())
    TrafficSample.objects.bulk_create(
        TrafficSample(
            customer=customer,
            ip_address=ip,
            sampled_at=start + timedelta(minutes=5 * n),
            bytes_in=int(rate * 1_000_000 * 300 / 8),
            bytes_out=int(rate * out_factor * 1_000_000 * 300 / 8),
        )
        for n, rate in enumerate(rates_in)
    )


def make_invoice(customer, number, *, issued_on, status="unpaid", due_on=None):
    invoice = Invoice(
        number=number,
        customer=customer,
        issued_on=issued_on,
        period_start=issued_on - timedelta(days=30),
        period_end=issued_on - timedelta(days=1),
        due_on=due_on or issued_on + timedelta(days=14),
        amount="119.90",
        currency="EUR",
        status=status,
        pdf_size=len(pdf_bytes()),
        pdf_sha256="0" * 64,
    )
    invoice.pdf.save("x.pdf", ContentFile(pdf_bytes()), save=False)
    invoice.save()
    return invoice


def make_document(customer, key="contract-2026"):
    document = ContractDocument(
        customer=customer,
        key=key,
        title="Contract for web hosting",
        dated=date(2026, 1, 15),
        pdf_size=len(pdf_bytes()),
        pdf_sha256="0" * 64,
    )
    document.pdf.save("c.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document
