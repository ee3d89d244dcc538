"""Deleting a login, giving the ownership away, closing the customer account, and the
"Download my data" export (issue 9)."""

import io
import json
import os
import time
import zipfile
from datetime import date, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.mfa.flows import REAUTH_SESSION_KEY
from accounts.models import AccountEvent, Customer, LoginAttempt, SignedInSession, User
from accounts.privacy import services, tasks
from accounts.privacy.models import DataExport, Deletion
from accounts.tokens import activation_token, email_change_token, invitation_token
from portal.exceptions import Refusal
from supportpin.models import SupportPin
from tests.factories import (
    PASSWORD,
    activate_pin,
    link_in,
    logged_in,
    logged_in_verified,
    make_document,
    make_invoice,
    make_user,
    pdf_bytes,
    png_bytes,
    totp_device,
    upload,
)
from tickets import services as ticket_services
from tickets.attachments import check_upload
from tickets.defaults import install_defaults
from tickets.models import Attachment, Category, SlaPolicy, Ticket


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def category(db) -> Category:
    install_defaults(Category, SlaPolicy)
    return Category.objects.get(name="Bug")


def open_ticket(requester: User, category: Category, *, with_file: bool = False) -> Ticket:
    files = [check_upload(upload("screen.png", png_bytes(), "image/png"))] if with_file else []
    return ticket_services.ticket_create(
        requester=requester,
        subject="The mail server rejects our messages",
        description="Since this morning every message bounces.",
        category=category,
        priority=2,
        files=files,
    )


def reauthenticated(user: User):
    """A client of `user` that proved who it is just now (logging in counts)."""
    return logged_in(user)


def long_logged_in(user: User):
    """A client of `user` whose password was given too long ago for a sensitive change."""
    client = logged_in(user)
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time() - 3600
    session.save()
    return client


# --- Deleting a member's login --------------------------------------------------------


def test_a_member_deleting_their_login_erases_their_personal_data(
    member, category, django_capture_on_commit_callbacks
):
    member.mobile = "+306912345000"
    member.mobile_verified_at = timezone.now()
    member.can_use_support_pin = True
    member.save()
    totp_device(member)
    activate_pin(member)
    ticket = open_ticket(member, category)

    with django_capture_on_commit_callbacks(execute=True):
        services.login_delete(user=member)

    member.refresh_from_db()
    assert member.erased_at is not None
    assert member.full_name == "" and member.mobile == ""
    assert "mario" not in member.email and "mario" not in member.username
    assert not member.is_active and not member.has_usable_password()
    assert not member.totpdevice_set.exists()
    assert not SupportPin.objects.filter(user=member).exists()
    ticket.refresh_from_db()
    assert ticket.requester_id == member.pk
    assert ticket.requester.get_full_name() == "Former member"
    assert Deletion.objects.get(login=member).status == Deletion.Status.ERASED
    assert AccountEvent.objects.filter(user=member, kind="login_deleted").exists()


def test_a_deleted_login_loses_its_sign_in_history_and_every_session_at_once(member, client):
    client.post(reverse("accounts:login"), {"username": member.username, "password": PASSWORD})
    assert LoginAttempt.objects.filter(user=member).exists()
    assert SignedInSession.objects.filter(user=member).exists()

    services.login_delete(user=member)

    assert not LoginAttempt.objects.filter(user=member).exists()
    assert not SignedInSession.objects.filter(user=member).exists()
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_the_confirmation_email_goes_to_the_address_before_it_is_erased(
    member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.login_delete(user=member)

    (message,) = mailoutbox
    assert message.to == ["mario.member@example.com"]
    assert "mario.member" in message.body
    assert "deleted" in message.subject


def test_the_owner_cannot_delete_their_login_while_others_use_the_account(owner, member):
    with pytest.raises(services.OwnerMustTransfer):
        services.login_delete(user=owner)
    owner.refresh_from_db()
    assert owner.erased_at is None


def test_an_owner_alone_deleting_their_login_closes_the_customer_account(owner):
    services.login_delete(user=owner)
    owner.refresh_from_db()
    assert owner.erased_at is not None
    assert owner.customer.closed_at is not None


def test_deleting_needs_reauthentication(member):
    response = long_logged_in(member).get(reverse("accounts:privacy_delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauthenticate"))


def test_deleting_needs_the_login_name_typed(member):
    client = reauthenticated(member)
    response = client.post(reverse("accounts:privacy_delete"), {"username": "someone.else"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.erased_at is None


def test_the_delete_page_says_what_is_deleted_and_what_is_kept(member):
    response = reauthenticated(member).get(reverse("accounts:privacy_delete"))
    assert "What is deleted" in response.text and "What is kept" in response.text
    assert "Former member" in response.text


def test_a_member_deletes_their_login_and_is_signed_out(member, client):
    member_client = reauthenticated(member)
    response = member_client.post(reverse("accounts:privacy_delete"), {"username": "Mario.Member"})
    assert response.status_code == 200
    assert "Your login is deleted" in response.text
    assert member_client.get(reverse("accounts:profile")).status_code == 302
    refused = client.post(
        reverse("accounts:login"), {"username": "mario.member", "password": PASSWORD}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_owner_sees_their_members_request_as_former_member(owner_client, member, category):
    ticket = open_ticket(member, category)
    services.login_delete(user=member)
    response = owner_client.get(reverse("tickets:list"))
    assert "Former member" in response.text
    response = owner_client.get(reverse("tickets:detail", args=[ticket.reference]))
    assert "Former member" in response.text


def test_every_link_sent_to_a_deleted_login_answers_as_invalid(owner, member, client):
    pending = make_user("ivan.invited", customer=owner.customer, role="member", is_active=False)
    tokens = [
        ("accounts:activate", activation_token(), activation_token().make(member)),
        (
            "accounts:email_change_confirm",
            email_change_token(),
            email_change_token().make(member, e="new@example.com"),
        ),
        ("accounts:invitation_accept", invitation_token(), invitation_token().make(pending)),
    ]
    for _name, kind, token in tokens:
        assert kind.check(token) is not None
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    reset = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(member)]
    )
    assert client.get(reset, follow=True).context["validlink"] is True
    export = DataExport.objects.create(
        user=member, status="ready", expires_at=timezone.now() + timedelta(hours=1)
    )
    export_link = reverse("accounts:privacy_export_download", args=[export.token])
    member_client = logged_in(member)
    assert member_client.get(export_link).status_code == 404  # ready, but no file yet

    services.login_delete(user=member)
    services.login_delete(user=pending)

    for name, kind, token in tokens:
        assert kind.check(token) is None
        assert client.get(reverse(name, args=[token])).status_code == 400, name
    assert client.get(reset, follow=True).context["validlink"] is False
    assert not DataExport.objects.filter(pk=export.pk).exists()
    # The session of the deleted login is over: the link asks for a login that cannot be.
    assert member_client.get(export_link)["Location"].startswith(reverse("accounts:login"))


# --- Ownership transfer ---------------------------------------------------------------


def test_the_owner_gives_the_ownership_to_a_member(owner, member, mailoutbox):
    response = reauthenticated(owner).post(
        reverse("accounts:ownership_transfer"), {"member": member.pk}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    member.refresh_from_db()
    assert member.role == User.Role.OWNER and owner.role == User.Role.MEMBER
    assert [m.to for m in mailoutbox] == [["mario.member@example.com"]]
    assert AccountEvent.objects.filter(user=member, kind="ownership_transferred").exists()


def test_ownership_transfer_needs_reauthentication(owner, member):
    response = long_logged_in(owner).post(
        reverse("accounts:ownership_transfer"), {"member": member.pk}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == User.Role.MEMBER


def test_a_member_cannot_transfer_ownership(member, owner):
    response = reauthenticated(member).post(
        reverse("accounts:ownership_transfer"), {"member": owner.pk}
    )
    assert response.status_code == 404


def test_ownership_cannot_go_to_another_customers_login(owner, member, other_owner):
    other_member = make_user("olivia.other", customer=other_owner.customer, role="member")
    response = reauthenticated(owner).post(
        reverse("accounts:ownership_transfer"), {"member": other_member.pk}
    )
    assert response.status_code == 404
    other_member.refresh_from_db()
    assert other_member.role == User.Role.MEMBER


def test_after_a_transfer_the_former_owner_can_delete_their_login(owner, member):
    services.ownership_transfer(owner=owner, new_owner=member)
    services.login_delete(user=owner)
    owner.refresh_from_db()
    assert owner.erased_at is not None
    assert owner.customer.closed_at is None


# --- Closing the customer account -----------------------------------------------------


def test_closing_the_customer_erases_every_login_and_keeps_the_requests(
    owner, member, category, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = open_ticket(member, category, with_file=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_close(owner=owner)

    assert sorted(m.to[0] for m in mailoutbox) == [
        "mario.member@example.com",
        "olga.owner@example.com",
    ]
    assert not User.objects.filter(customer=owner.customer, erased_at__isnull=True).exists()
    customer = Customer.objects.get(pk=owner.customer_id)
    assert str(customer) == "Deleted customer" and customer.name == ""
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert Attachment.objects.filter(ticket=ticket).exists()
    deletion = Deletion.objects.get(scope="customer")
    assert deletion.status == Deletion.Status.KEPT
    assert deletion.customer_number == "C-1001"


def test_only_the_owner_can_close_the_customer_account(member, owner):
    response = reauthenticated(member).get(reverse("accounts:privacy_close"))
    assert response.status_code == 404


def test_the_owner_closes_the_customer_through_the_page(owner, member):
    client = reauthenticated(owner)
    response = client.post(reverse("accounts:privacy_close"), {"username": "olga.owner"})
    assert response.status_code == 200
    assert "The customer account is closed" in response.text
    assert Customer.objects.get(pk=owner.customer_id).closed_at is not None


def test_staff_see_deleted_customer_in_the_queue(owner, member, category, agent_client):
    open_ticket(member, category)
    services.customer_close(owner=owner)
    response = agent_client.get(reverse("admin:tickets_ticket_changelist"))
    assert "Deleted customer" in response.text
    assert "Acme Hosting" not in response.text


def test_a_closed_customer_is_purged_after_the_retention_period(
    owner, member, category, settings, django_capture_on_commit_callbacks
):
    settings.DATA_RETENTION_DAYS = 30
    ticket = open_ticket(member, category, with_file=True)
    path = Attachment.objects.get(ticket=ticket).file.path
    services.customer_close(owner=owner)
    assert tasks.purge_closed_customers() == 0

    Customer.objects.filter(pk=owner.customer_id).update(
        closed_at=timezone.now() - timedelta(days=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_closed_customers() == 1

    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not User.objects.filter(pk__in=[owner.pk, member.pk]).exists()
    assert not Customer.objects.filter(pk=owner.customer_id).exists()
    assert Deletion.objects.get(scope="customer").status == Deletion.Status.PURGED
    assert not os.path.exists(path)


def test_other_customers_are_not_purged(owner, other_owner, settings):
    services.customer_close(owner=owner)
    Customer.objects.filter(pk=owner.customer_id).update(
        closed_at=timezone.now() - timedelta(days=settings.DATA_RETENTION_DAYS + 1)
    )
    tasks.purge_closed_customers()
    assert User.objects.filter(pk=other_owner.pk).exists()


# --- The data export ------------------------------------------------------------------


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_the_requests_their_files_and_a_readme(
    owner, member, category, mailoutbox
):
    ticket = open_ticket(member, category, with_file=True)
    mailoutbox.clear()
    client = logged_in_verified(owner)

    response = client.post(reverse("accounts:privacy_export"))
    assert response.status_code == 302

    (message,) = mailoutbox
    link = link_in(message, "/accounts/privacy/export/")
    archive = _zip_of(client.get(link))
    names = archive.namelist()
    assert "README.txt" in names and "requests.json" in names and "profile.json" in names
    requests = json.loads(archive.read("requests.json"))
    assert requests[0]["reference"] == ticket.reference
    attachment = requests[0]["messages"][0]["attachments"][0]
    assert archive.read(attachment) == png_bytes()
    assert json.loads(archive.read("company.json"))["role"] == "owner"
    two_factor = archive.read("two_factor.json").decode()
    assert "app" in two_factor and owner.totpdevice_set.get().key not in two_factor
    assert "requests.json" in archive.read("README.txt").decode()
    assert json.loads(archive.read("login_history.json")) == []  # logged in by the test
    [session] = json.loads(archive.read("sessions.json"))
    assert session["first_seen"]


def _built_export(user) -> zipfile.ZipFile:
    export = services.data_export_request(user=user)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return zipfile.ZipFile(export.file.path)


def test_the_export_holds_the_invoices_and_contracts_with_their_pdfs(owner, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    invoice = make_invoice(owner.customer, "2026-0042", issued_on=date(2026, 11, 1))
    make_document(owner.customer)

    with _built_export(owner) as archive:
        listed = json.loads(archive.read("invoices.json"))
        [entry] = listed["invoices"]
        assert entry["number"] == invoice.number and entry["amount"] == "119.90"
        assert archive.read(entry["file"]) == pdf_bytes()
        [document] = listed["contract_documents"]
        assert archive.read(document["file"]) == pdf_bytes()
        assert "invoices.json" in archive.read("README.txt").decode()


def test_a_member_without_invoices_gets_none_in_the_export(owner, member, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    make_invoice(owner.customer, "2026-0043", issued_on=date(2026, 11, 1))
    member.can_view_invoices = False
    member.save()

    with _built_export(member) as archive:
        assert json.loads(archive.read("invoices.json")) == {
            "invoices": [],
            "contract_documents": [],
        }
        assert not [name for name in archive.namelist() if name.endswith(".pdf")]


def test_the_export_readme_is_in_the_logins_language(owner):
    owner.language = "el"
    owner.save()
    services.data_export_request(user=owner)
    export = DataExport.objects.get(user=owner)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    with zipfile.ZipFile(export.file.path) as archive:
        readme = archive.read("README.txt").decode()
    assert "requests.json" in readme


def test_the_export_file_is_private(owner, settings):
    services.data_export_request(user=owner)
    export = DataExport.objects.get(user=owner)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT.resolve()))


def test_only_the_login_that_asked_can_download_its_export(owner, member, other_owner):
    export = services.data_export_request(user=owner)
    services.data_export_build(export_id=export.pk)
    link = reverse("accounts:privacy_export_download", args=[export.token])
    assert logged_in(owner).get(link).status_code == 200
    assert logged_in(member).get(link).status_code == 404
    assert logged_in(other_owner).get(link).status_code == 404


def test_the_export_link_works_for_the_configured_hours_then_the_file_goes(
    owner, django_capture_on_commit_callbacks
):
    export = services.data_export_request(user=owner)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    path = export.file.path
    link = reverse("accounts:privacy_export_download", args=[export.token])
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert logged_in(owner).get(link).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_data_exports() == 1
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED
    assert not os.path.exists(path)


def test_one_export_at_a_time(owner):
    DataExport.objects.create(user=owner)
    with pytest.raises(Refusal):
        services.data_export_request(user=owner)


def test_at_most_three_exports_a_day(owner):
    for _ in range(3):
        DataExport.objects.create(user=owner, status=DataExport.Status.EXPIRED)
    with pytest.raises(Refusal, match="3 times a day"):
        services.data_export_request(user=owner)
    DataExport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    services.data_export_request(user=owner)


def test_an_export_interrupted_by_a_crash_is_rebuilt_and_emailed_once(
    owner, settings, mailoutbox, django_capture_on_commit_callbacks
):
    export = DataExport.objects.create(user=owner)
    half = settings.PRIVATE_MEDIA_ROOT / "exports" / f"{export.token}.partial"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"half a zip")

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_data_export(export.pk) is True
        assert tasks.build_data_export(export.pk) is False

    export.refresh_from_db()
    assert zipfile.is_zipfile(export.file.path)
    assert len(mailoutbox) == 1


def test_building_an_export_takes_the_same_queries_for_more_requests(
    owner, category, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        export = DataExport.objects.create(user=owner)
        with CaptureQueriesContext(connection) as captured:
            services.data_export_build(export_id=export.pk)
        DataExport.objects.filter(pk=export.pk).update(status="expired")
        return len(captured)

    open_ticket(owner, category, with_file=True)
    one = queries()
    open_ticket(owner, category, with_file=True)
    open_ticket(owner, category)
    assert queries() == one


def test_the_privacy_pages_are_not_found_for_staff(agent_client):
    for name in ("accounts:privacy", "accounts:privacy_delete", "accounts:privacy_close"):
        response = agent_client.get(reverse(name))
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "confirm-identity" in response["Location"]


def test_the_security_page_links_to_the_privacy_actions(owner_client):
    response = owner_client.get(reverse("accounts:security"))
    assert "Download my data" in response.text and "Delete my login" in response.text


def test_staff_see_exports_and_deletions_in_the_admin_without_content(
    owner, member, supervisor_client
):
    export = services.data_export_request(user=owner)
    services.data_export_build(export_id=export.pk)
    services.login_delete(user=member)
    response = supervisor_client.get(reverse("admin:privacy_dataexport_changelist"))
    assert response.status_code == 200 and "Ready" in response.text
    response = supervisor_client.get(reverse("admin:privacy_dataexport_change", args=[export.pk]))
    assert export.token not in response.text
    response = supervisor_client.get(reverse("admin:privacy_deletion_changelist"))
    assert "Personal data erased" in response.text
