"""Leaving and taking one's data: a member deletes their login, an owner downloads the
export (issue 9)."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, link_in, make_customer, make_user, png_bytes, upload
from tickets import services
from tickets.attachments import check_upload
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def acme(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_defaults(Category, SlaPolicy)
    customer = make_customer("Acme Hosting", contract_number="C-1001")
    owner = make_user("olga.owner", customer=customer, role="owner")
    member = make_user("mario.member", customer=customer, role="member")
    ticket = services.ticket_create(
        requester=member,
        subject="The mail server rejects our messages",
        description="Since this morning every message bounces.",
        category=Category.objects.get(name="Bug"),
        priority=2,
        files=[check_upload(upload("bounce.png", png_bytes(), "image/png"))],
    )
    return owner, member, ticket


def test_a_member_deletes_their_login_and_the_owner_sees_a_former_member(new_page, acme):
    _owner, _member, ticket = acme
    page = new_page()
    log_in(page, "mario.member")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="Delete my login").click()
    expect(page.get_by_role("heading", name="What is kept")).to_be_visible()
    page.get_by_label("Type your login name to confirm").fill("mario.member")
    page.get_by_role("button", name="Delete my login").click()
    expect(page.get_by_test_id("login-deleted")).to_have_text("Your login is deleted")

    owner_page = new_page()
    log_in(owner_page, "olga.owner")
    owner_page.goto(f"/tickets/{ticket.reference}/")
    expect(owner_page.get_by_text("Former member", exact=True)).to_be_visible()
    expect(owner_page.locator("dd", has_text="Former member")).to_be_visible()
    expect(owner_page.get_by_text("Mario Member")).to_have_count(0)


def test_an_owner_downloads_their_data_with_the_request_and_its_file(new_page, acme, mailoutbox):
    _owner, _member, ticket = acme
    mailoutbox.clear()
    page = new_page()
    log_in(page, "olga.owner")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="Download my data").click()
    page.get_by_role("button", name="Prepare my data").click()
    expect(page.get_by_test_id("exports")).to_contain_text("Ready")

    (message,) = [m for m in mailoutbox if "ready" in m.subject]
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { window.location.href = url; }", link_in(message, "/accounts/privacy/export/")
        )
    archive = zipfile.ZipFile(download_info.value.path())
    (request,) = json.loads(archive.read("requests.json"))
    assert request["reference"] == ticket.reference
    (attachment,) = request["messages"][0]["attachments"]
    assert attachment.endswith("bounce.png")
    assert archive.read(attachment) == png_bytes()
    assert "README.txt" in archive.namelist()
