"""Profile: name, mobile, language; email change confirmed from the new address (seed 004)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.forms import EmailChangeForm
from accounts.models import AccountEvent, User
from accounts.services import user_language_set
from accounts.throttle import password_checks_blocked
from tests.factories import PASSWORD, link_in, make_user, sms_code_in

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
EMAIL_CHANGE = reverse("accounts:email_change")
CONFIRM_PREFIX = "/accounts/email/confirm/"


def details(user: User, **overrides) -> dict:
    return {
        "full_name": user.full_name,
        "mobile": user.mobile,
        "language": user.language,
        **overrides,
    }


def test_profile_needs_a_login(client):
    assert client.get(PROFILE)["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_the_details_the_email_and_the_account_links(owner_client, owner):
    response = owner_client.get(PROFILE)

    assert response.status_code == 200
    for name in ("full_name", "mobile", "language"):
        assert f'for="id_{name}"' in response.text
    assert owner.email in response.text
    assert f'<a href="{EMAIL_CHANGE}">' in response.text
    assert f'<a href="{reverse("accounts:password_change")}">' in response.text
    assert f'<a href="{reverse("accounts:people")}">' in response.text


def test_members_profile_does_not_link_to_the_people_page(member_client):
    response = member_client.get(PROFILE)
    assert reverse("accounts:people") not in response.text


def test_a_customer_edits_name_mobile_and_language(owner_client, owner, sms_outbox):
    response = owner_client.post(
        PROFILE, details(owner, full_name="Olga Owner-Smith", mobile="691 234 5670", language="it")
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mobile_verify"))
    owner.refresh_from_db()
    assert owner.full_name == "Olga Owner-Smith"
    # The new number counts once the code sent to it is entered.
    assert owner.mobile == "+306912345678"
    assert owner.language == "it"
    assert response.cookies["django_language"].value == "it"
    assert AccountEvent.objects.get(
        user=owner, kind=AccountEvent.Kind.PROFILE_CHANGED, actor=owner
    ).detail == {"fields": ["full_name", "language"]}
    owner_client.post(response["Location"], {"code": sms_code_in(sms_outbox, "+306912345670")})
    owner.refresh_from_db()
    assert owner.mobile == "+306912345670"
    assert owner.has_verified_mobile
    page = owner_client.get(PROFILE)
    assert page.headers["Content-Language"] == "it"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+30 691 234 5670", "+306912345670"),
        ("6912345670", "+306912345670"),
        ("+39 347 123 4567", "+393471234567"),
        ("+421 905 123 456", "+421905123456"),
    ],
)
def test_the_mobile_number_is_stored_in_e164(owner_client, owner, sms_outbox, typed, stored):
    response = owner_client.post(PROFILE, details(owner, mobile=typed))
    owner_client.post(response["Location"], {"code": sms_code_in(sms_outbox, stored)})
    owner.refresh_from_db()
    assert owner.mobile == stored


def test_the_mobile_number_can_be_removed(owner_client, owner):
    owner_client.post(PROFILE, details(owner, mobile=""))
    owner.refresh_from_db()
    assert owner.mobile == ""
    assert not owner.has_verified_mobile


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("mobile", {"mobile": "12345"}, "Enter a valid mobile number"),
        ("mobile", {"mobile": "not a number"}, "Enter a valid mobile number"),
        ("mobile", {"mobile": "+30 210 123 4567"}, "not a mobile number"),
        ("full_name", {"full_name": ""}, "This field is required"),
        ("language", {"language": "fr"}, "Select a valid choice"),
    ],
)
def test_bad_profile_input_gives_a_field_error_and_saves_nothing(
    owner_client, owner, field, overrides, message
):
    response = owner_client.post(
        PROFILE, details(owner, **{"full_name": "Changed Name", **overrides})
    )

    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}_error"' in response.text
    assert 'data-testid="login-name">olga.owner<' in response.text
    stored = User.objects.get(pk=owner.pk)
    assert stored.full_name == "Olga Owner"
    assert stored.mobile == "+306912345678"
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.PROFILE_CHANGED).exists()


def request_email_change(client, new_email: str = "olga@new.example", password: str = PASSWORD):
    return client.post(EMAIL_CHANGE, {"new_email": new_email, "current_password": password})


def test_email_change_page_asks_for_the_new_address_and_the_current_password(owner_client):
    response = owner_client.get(EMAIL_CHANGE)
    assert response.status_code == 200
    assert 'for="id_new_email"' in response.text
    assert 'for="id_current_password"' in response.text


def test_email_change_needs_a_login(client):
    assert client.get(EMAIL_CHANGE)["Location"].startswith(reverse("accounts:login"))


def test_a_wrong_current_password_refuses_the_email_change(owner_client, owner, mailoutbox):
    response = request_email_change(owner_client, password="not-my-password")

    assert response.status_code == 200
    assert (
        "current password is not correct" in response.context["form"].errors["current_password"][0]
    )
    assert mailoutbox == []
    assert User.objects.get(pk=owner.pk).email == "olga.owner@example.com"


@pytest.mark.parametrize(
    ("new_email", "message"),
    [
        ("OLGA.OWNER@example.com", "already your email address"),
        ("not-an-address", "valid email address"),
        ("", "This field is required"),
    ],
)
def test_an_unusable_new_address_is_refused(owner_client, member, mailoutbox, new_email, message):
    response = request_email_change(owner_client, new_email=new_email)

    assert message in response.context["form"].errors["new_email"][0]
    assert mailoutbox == []


def test_another_logins_address_gets_the_same_page_and_its_holder_is_told_instead(
    owner_client, owner, member, mailoutbox
):
    member.language = "it"
    member.save(update_fields=["language"])

    taken = request_email_change(owner_client, new_email="MARIO.member@example.com")
    fresh = request_email_change(owner_client, new_email="olga@new.example")

    assert taken.status_code == fresh.status_code == 200
    for response in (taken, fresh):
        assert "accounts/email_change_sent.html" in [t.name for t in response.templates]
        assert "errorlist" not in response.text
    to_holder = [m for m in mailoutbox if m.to == [member.email]]
    assert len(to_holder) == 1
    assert CONFIRM_PREFIX not in to_holder[0].body
    assert owner.username not in to_holder[0].body
    assert member.full_name in to_holder[0].body
    assert not [m for m in mailoutbox if m.to == ["MARIO.member@example.com"]]
    assert User.objects.get(pk=owner.pk).email == "olga.owner@example.com"
    assert User.objects.get(pk=member.pk).email == "mario.member@example.com"


def test_wrong_current_passwords_are_limited_to_five_in_fifteen_minutes(
    owner_client, owner, mailoutbox, settings
):
    # Not re-authentication's ten minutes (their own tests) but the limit's fifteen.
    settings.REAUTH_MINUTES = 24 * 60
    with time_machine.travel(timezone.now().replace(minute=1, second=0), tick=False):
        for _ in range(5):
            request_email_change(owner_client, password="guess-guess-1")
        blocked = request_email_change(owner_client, password=PASSWORD)
        assert "Too many wrong passwords" in blocked.context["form"].errors["current_password"][0]
        assert mailoutbox == []

    with time_machine.travel(timezone.now().replace(minute=1) + timedelta(minutes=16), tick=False):
        allowed = request_email_change(owner_client, password=PASSWORD)
        assert not allowed.context.get("form") or not allowed.context["form"].errors
        assert [m.to for m in mailoutbox][0] == ["olga@new.example"]


def test_the_wrong_password_limit_and_the_wait_it_names_follow_their_settings(
    owner_client, owner, mailoutbox, settings
):
    settings.ACCOUNT_PASSWORD_CHECK_LIMIT = 2
    settings.ACCOUNT_PASSWORD_CHECK_MINUTES = 30
    settings.REAUTH_MINUTES = 24 * 60
    start = timezone.now().replace(minute=1, second=0)

    with time_machine.travel(start, tick=False):
        for _ in range(2):
            request_email_change(owner_client, password="guess-guess-1")
        blocked = request_email_change(owner_client, password=PASSWORD)
        assert blocked.context["form"].errors["current_password"] == [
            "Too many wrong passwords. Please try again in 30 minutes."
        ]
    # The limit counts in windows of the setting's length, whose edges django-ratelimit
    # staggers per login: the wait named is the longest there can be.
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        request_email_change(owner_client, password=PASSWORD)
    assert [m.to for m in mailoutbox][0] == ["olga@new.example"]


def test_a_wait_of_one_minute_is_named_in_the_singular(owner_client, owner, settings):
    settings.ACCOUNT_PASSWORD_CHECK_LIMIT = 1
    settings.ACCOUNT_PASSWORD_CHECK_MINUTES = 1
    with time_machine.travel(timezone.now().replace(second=0), tick=False):
        request_email_change(owner_client, password="guess-guess-1")
        blocked = request_email_change(owner_client, password=PASSWORD)
    assert blocked.context["form"].errors["current_password"] == [
        "Too many wrong passwords. Please try again in 1 minute."
    ]


def test_validating_the_email_change_form_counts_no_wrong_password(owner):
    """Only the page counts a wrong password, once per request: checking a form twice, or
    in a test, or from the shell, must not lock the login out."""
    for _ in range(6):
        form = EmailChangeForm(
            {"new_email": "olga@new.example", "current_password": "guess-guess-1"}, user=owner
        )
        assert not form.is_valid()
        assert form.has_error("current_password", code="password_incorrect")

    assert not password_checks_blocked(owner.pk)


def test_email_change_mails_a_link_to_the_new_address_and_a_notice_to_the_old(
    owner_client, owner, mailoutbox
):
    response = request_email_change(owner_client)

    assert response.status_code == 200
    assert "olga@new.example" in response.text
    assert User.objects.get(pk=owner.pk).email == "olga.owner@example.com"
    confirm, notice = mailoutbox
    assert confirm.to == ["olga@new.example"]
    assert f"Hello {owner.full_name}" in confirm.body
    assert link_in(confirm, CONFIRM_PREFIX)
    assert notice.to == ["olga.owner@example.com"]
    assert f"Hello {owner.full_name}" in notice.body
    assert "olga@new.example" in notice.body
    assert CONFIRM_PREFIX not in notice.body
    assert reverse("accounts:password_reset") in notice.body
    assert PASSWORD not in confirm.body + notice.body
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.EMAIL_CHANGE_REQUESTED
    ).exists()


def test_the_new_address_takes_effect_when_the_link_is_followed(owner_client, owner, mailoutbox):
    request_email_change(owner_client)

    response = owner_client.get(link_in(mailoutbox[0], CONFIRM_PREFIX))

    assert response["Location"] == PROFILE
    assert User.objects.get(pk=owner.pk).email == "olga@new.example"
    assert "Your email address is now olga@new.example." in owner_client.get(PROFILE).text
    event = AccountEvent.objects.get(user=owner, kind=AccountEvent.Kind.EMAIL_CHANGED)
    assert event.detail == {"old_email": "olga.owner@example.com", "new_email": "olga@new.example"}


def test_a_new_address_is_no_longer_marked_as_bouncing(owner_client, owner, mailoutbox):
    User.objects.filter(pk=owner.pk).update(email_bounced_at=timezone.now())
    request_email_change(owner_client)

    owner_client.get(link_in(mailoutbox[0], CONFIRM_PREFIX))

    assert User.objects.get(pk=owner.pk).email_bounced_at is None


def test_the_link_works_without_being_logged_in(owner_client, owner, mailoutbox, client):
    request_email_change(owner_client)

    response = client.get(link_in(mailoutbox[0], CONFIRM_PREFIX))

    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(pk=owner.pk).email == "olga@new.example"


def test_the_confirmation_link_works_only_once(owner_client, owner, mailoutbox):
    request_email_change(owner_client)
    link = link_in(mailoutbox[0], CONFIRM_PREFIX)
    owner_client.get(link)

    response = owner_client.get(link)

    assert response.status_code == 400
    assert "expired or has already been used" in response.text


def test_an_older_link_dies_when_another_change_is_confirmed(owner_client, owner, mailoutbox):
    request_email_change(owner_client, new_email="first@new.example")
    first = link_in(mailoutbox[0], CONFIRM_PREFIX)
    request_email_change(owner_client, new_email="second@new.example")
    owner_client.get(link_in(mailoutbox[2], CONFIRM_PREFIX))

    assert owner_client.get(first).status_code == 400
    assert User.objects.get(pk=owner.pk).email == "second@new.example"


def test_the_confirmation_link_expires(owner_client, owner, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_CHANGE_HOURS = 24
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        request_email_change(owner_client)
        traveller.shift(timedelta(hours=24, minutes=1))

        response = owner_client.get(link_in(mailoutbox[0], CONFIRM_PREFIX))

    assert response.status_code == 400
    assert User.objects.get(pk=owner.pk).email == "olga.owner@example.com"


def test_an_address_taken_meanwhile_is_not_applied(owner_client, owner, mailoutbox):
    request_email_change(owner_client)
    make_user("quick.taker", email="OLGA@new.example")

    response = owner_client.get(link_in(mailoutbox[0], CONFIRM_PREFIX))

    assert response.status_code == 400
    assert "no longer available" in response.text
    assert User.objects.get(pk=owner.pk).email == "olga.owner@example.com"


# --- One field at a time: the language switch, the Support PIN's mobile ------------------


def profile_changes(user: User) -> list[dict]:
    return list(
        AccountEvent.objects.filter(user=user, kind=AccountEvent.Kind.PROFILE_CHANGED)
        .order_by("pk")
        .values_list("detail", flat=True)
    )


def test_the_language_service_sets_only_the_language_and_records_it(owner, member):
    stale = User.objects.get(pk=owner.pk)
    User.objects.filter(pk=owner.pk).update(full_name="Olga Renamed Elsewhere")

    user_language_set(user=stale, acting_user=stale, language="el")

    stored = User.objects.get(pk=owner.pk)
    assert (stored.language, stored.full_name) == ("el", "Olga Renamed Elsewhere")
    assert profile_changes(owner) == [{"fields": ["language"]}]


def test_setting_a_value_the_login_already_has_records_nothing(owner):
    user_language_set(user=owner, acting_user=owner, language=owner.language)

    assert profile_changes(owner) == []


def test_the_language_switch_saves_the_language_alone(owner_client, owner):
    owner_client.post(reverse("portal:set_language"), {"language": "sk", "next": "/"})

    assert User.objects.get(pk=owner.pk).language == "sk"
    assert profile_changes(owner) == [{"fields": ["language"]}]
