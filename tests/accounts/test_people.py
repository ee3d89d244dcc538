"""Several logins per customer, each with its own permissions (seed 003)."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent, User
from tests.factories import PASSWORD, link_in

pytestmark = pytest.mark.django_db

PEOPLE = reverse("accounts:people")
LOGIN = reverse("accounts:login")
INVITATION_PREFIX = "/accounts/invitation/"
MEMBER_PASSWORD = "Marias-own-Secret-19"


def permissions_url(member: User) -> str:
    return reverse("accounts:member_permissions", args=[member.pk])


def remove_url(member: User) -> str:
    return reverse("accounts:member_remove", args=[member.pk])


def invite(client, follow: bool = False, **overrides):
    data = {
        "full_name": "Maria Member",
        "email": "maria@example.com",
        "username": "maria",
        "can_view_invoices": "on",
        **overrides,
    }
    return client.post(PEOPLE, data, follow=follow)


def test_people_page_lists_the_customers_logins_with_role_and_status(
    owner_client, owner, member, other_owner
):
    invite(owner_client)

    response = owner_client.get(PEOPLE)

    assert response.status_code == 200
    people = [person for person, _form in response.context["rows"]]
    assert people[0] == owner
    assert set(people) == {owner, member, User.objects.get(username="maria")}
    assert other_owner.username not in response.text
    assert "Owner" in response.text and "Member" in response.text
    assert "Invitation pending" in response.text
    assert "Active" in response.text


def test_people_page_has_a_permissions_form_and_a_confirmed_remove_button_per_member(
    owner_client, owner, member
):
    response = owner_client.get(PEOPLE)

    assert f'action="{permissions_url(member)}"' in response.text
    assert f'action="{remove_url(member)}"' in response.text
    assert "data-confirm=" in response.text
    assert f'for="id_p{member.pk}-can_view_invoices"' in response.text
    assert f'action="{remove_url(owner)}"' not in response.text
    for name in ("full_name", "email", "username", "can_use_support_pin"):
        assert f'for="id_{name}"' in response.text


def test_an_owner_invites_a_member_who_sets_a_password_and_logs_in(
    owner_client, owner, client, mailoutbox
):
    response = invite(owner_client, can_use_support_pin="on")

    assert response["Location"] == PEOPLE
    assert "An invitation has been sent to maria@example.com." in owner_client.get(PEOPLE).text
    maria = User.objects.get(username="maria")
    assert not maria.is_active
    assert not maria.has_usable_password()
    assert maria.customer == owner.customer
    assert maria.role == User.Role.MEMBER
    assert maria.can_view_invoices and maria.can_use_support_pin
    assert not maria.can_view_call_records and not maria.can_view_all_tickets
    assert AccountEvent.objects.filter(
        user=maria, kind=AccountEvent.Kind.MEMBER_INVITED, actor=owner
    ).exists()

    (message,) = mailoutbox
    assert message.to == ["maria@example.com"]
    assert "Hello Maria Member" in message.body
    assert owner.full_name in message.body
    assert owner.customer.name in message.subject
    assert "maria" in message.body

    link = link_in(message, INVITATION_PREFIX)
    page = client.get(link)
    assert page.status_code == 200
    assert 'for="id_password1"' in page.text
    accepted = client.post(link, {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD})
    assert accepted["Location"] == LOGIN

    logged_in = client.post(LOGIN, {"username": "maria@example.com", "password": MEMBER_PASSWORD})
    assert logged_in["Location"] == reverse("portal:dashboard")
    assert client.session["_auth_user_id"] == str(maria.pk)
    maria.refresh_from_db()
    assert maria.is_active


def test_an_invitation_link_works_only_once(owner_client, client, mailoutbox):
    invite(owner_client)
    link = link_in(mailoutbox[0], INVITATION_PREFIX)
    client.post(link, {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD})

    again = client.get(link)
    overwrite = client.post(link, {"password1": "Another-one-88", "password2": "Another-one-88"})

    assert again.status_code == overwrite.status_code == 400
    assert "expired or has already been used" in again.text
    assert User.objects.get(username="maria").check_password(MEMBER_PASSWORD)


def test_a_bad_password_on_the_invitation_gives_a_field_error(owner_client, client, mailoutbox):
    invite(owner_client)
    link = link_in(mailoutbox[0], INVITATION_PREFIX)

    response = client.post(link, {"password1": "maria", "password2": "maria"})

    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert not User.objects.get(username="maria").is_active


def test_an_invited_member_cannot_log_in_before_choosing_a_password(owner_client, client):
    invite(owner_client)
    response = client.post(LOGIN, {"username": "maria", "password": ""})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("email", {"email": "bad"}),
        ("username", {"username": "Mario.Member"}),
        ("username", {"username": "has space"}),
        ("full_name", {"full_name": ""}),
    ],
)
def test_bad_invitation_input_gives_a_field_error_and_creates_nothing(
    owner_client, member, mailoutbox, field, overrides
):
    count = User.objects.count()

    response = invite(owner_client, **overrides)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert User.objects.count() == count
    assert mailoutbox == []


def test_an_owner_edits_a_members_permissions(owner_client, owner, member):
    prefix = f"p{member.pk}"
    response = owner_client.post(
        permissions_url(member),
        {f"{prefix}-can_view_all_tickets": "on", f"{prefix}-can_use_support_pin": "on"},
    )

    assert response["Location"] == PEOPLE
    member.refresh_from_db()
    assert not member.can_view_invoices
    assert not member.can_view_call_records
    assert member.can_view_all_tickets
    assert member.can_use_support_pin
    event = AccountEvent.objects.get(
        user=member, kind=AccountEvent.Kind.PERMISSIONS_CHANGED, actor=owner
    )
    assert event.detail == {
        "can_view_invoices": False,
        "can_view_call_records": False,
        "can_view_all_tickets": True,
        "can_use_support_pin": True,
    }
    page = owner_client.get(PEOPLE)
    assert "Permissions of Mario Member saved." in page.text
    assert page.context["rows"][1][1]["can_use_support_pin"].value() is True


def test_a_member_holds_only_the_permissions_the_owner_gave(owner, member):
    member.can_view_invoices = False
    member.save()
    assert not member.has_customer_permission("can_view_invoices")
    assert member.has_customer_permission("can_view_call_records")
    assert owner.has_customer_permission("can_use_support_pin")


def test_an_owner_removes_a_member_who_can_no_longer_log_in(owner_client, owner, member, client):
    response = owner_client.post(remove_url(member))

    assert response["Location"] == PEOPLE
    member.refresh_from_db()
    assert not member.is_active
    page = owner_client.get(PEOPLE)
    assert "Mario Member can no longer log in." in page.text
    assert member not in [person for person, _form in page.context["rows"]]
    assert AccountEvent.objects.filter(
        user=member, kind=AccountEvent.Kind.MEMBER_REMOVED, actor=owner
    ).exists()

    login = client.post(LOGIN, {"username": member.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "not activated" not in login.text


def test_a_removed_members_session_ends(owner_client, member, member_client):
    owner_client.post(remove_url(member))
    assert member_client.get(reverse("portal:dashboard")).status_code == 302


def test_removing_needs_a_post(owner_client, member):
    assert owner_client.get(remove_url(member)).status_code == 405
    member.refresh_from_db()
    assert member.is_active


def test_an_owner_cannot_remove_themselves(owner_client, owner):
    assert owner_client.post(remove_url(owner)).status_code == 404
    owner.refresh_from_db()
    assert owner.is_active


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_gets_404_on_the_people_page(member_client, method):
    assert getattr(member_client, method)(PEOPLE).status_code == 404


def test_a_member_gets_404_when_changing_permissions_or_removing(member_client, member, owner):
    assert member_client.post(permissions_url(member), {}).status_code == 404
    assert member_client.post(remove_url(owner)).status_code == 404
    owner.refresh_from_db()
    assert owner.is_active
    member.refresh_from_db()
    assert member.can_view_invoices


def test_staff_get_404_on_the_people_page(agent_client):
    assert agent_client.get(PEOPLE).status_code == 404


def test_another_customers_owner_gets_404_acting_on_my_member(other_client, member):
    assert other_client.post(permissions_url(member), {}).status_code == 404
    assert other_client.post(remove_url(member)).status_code == 404
    member.refresh_from_db()
    assert member.is_active
    assert member.can_view_invoices
    assert member.role == User.Role.MEMBER


def test_people_pages_need_a_login(client, member):
    assert client.get(PEOPLE)["Location"].startswith(LOGIN)
    assert client.post(remove_url(member))["Location"].startswith(LOGIN)


def test_a_removed_member_cannot_reopen_the_login_with_an_activation_link(
    owner_client, member, client, mailoutbox
):
    owner_client.post(remove_url(member))

    response = client.post(reverse("accounts:activation_resend"), {"email": member.email})

    assert "Check your email" in response.text
    assert mailoutbox == []
    member.refresh_from_db()
    assert not member.is_active


def test_an_invited_member_gets_no_activation_link(owner_client, client, mailoutbox):
    invite(owner_client)
    mailoutbox.clear()

    client.post(reverse("accounts:activation_resend"), {"email": "maria@example.com"})

    assert mailoutbox == []


def test_removing_a_pending_invitation_kills_its_link(owner_client, client, mailoutbox):
    invite(owner_client)
    maria = User.objects.get(username="maria")
    link = link_in(mailoutbox[0], INVITATION_PREFIX)
    owner_client.post(remove_url(maria))

    page = client.get(link)
    accepted = client.post(link, {"password1": MEMBER_PASSWORD, "password2": MEMBER_PASSWORD})

    assert page.status_code == accepted.status_code == 400
    maria.refresh_from_db()
    assert not maria.is_active
    assert not maria.has_usable_password()


def test_inviting_an_address_that_has_a_login_answers_as_for_any_and_tells_its_holder(
    owner_client, owner, other_owner, mailoutbox
):
    count = User.objects.count()
    free = invite(owner_client, follow=True)
    mailoutbox.clear()
    User.objects.filter(username="maria").delete()

    taken = invite(owner_client, email=other_owner.email.upper(), follow=True)

    assert taken.status_code == free.status_code == 200
    assert taken.redirect_chain == free.redirect_chain == [(PEOPLE, 302)]
    message = f"An invitation has been sent to {other_owner.email.upper()}."
    assert message in taken.text
    assert "already has a login" not in taken.text
    assert User.objects.count() == count
    assert not User.objects.filter(username="maria").exists()
    (notice,) = mailoutbox
    assert notice.to == [other_owner.email]
    assert f"Hello {other_owner.full_name}" in notice.body
    assert f"Someone at “{owner.customer.name}” tried to invite this email address" in notice.body
    assert other_owner.username in notice.body
    assert owner.full_name not in notice.body
    assert "Maria" not in notice.body
    assert INVITATION_PREFIX not in notice.body
