"""Two-factor authentication (issue 8): the login's second step, wrong codes, remembered
browsers, the Security page, recovery codes, re-authentication and staff enrolment."""

import json
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import services
from accounts.mfa.remember import COOKIE_NAME
from accounts.models import AccountEvent, RecoveryCode, RecoveryCodeDevice, TwoFactorState
from tests.factories import (
    PASSWORD,
    CommittingClient,
    activate_pin,
    logged_in,
    logged_in_verified,
    make_user,
    totp_code,
    totp_device,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SECOND_STEP = reverse("accounts:second_step")
SECURITY = reverse("accounts:security")
DASHBOARD = reverse("portal:dashboard")
REAUTH = reverse("accounts:reauthenticate")


def password_step(client, user, **extra):
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD, **extra})


def second_step(client, code, **extra):
    return client.post(SECOND_STEP, {"code": code, **extra})


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def signed_in(user, device=None) -> CommittingClient:
    """A client logged in as `user` a moment ago, past the second step by `device`."""
    client = logged_in(user)
    session = client.session
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session["reauthenticated_at"] = time.time()
    session.save()
    return client


def with_recovery_codes(user) -> list[str]:
    return services.recovery_codes_generate(user=user, acting_user=user)


# --- The second step ------------------------------------------------------------------


def test_a_login_without_two_factor_logs_in_with_the_password(client, owner):
    response = password_step(client, owner)
    assert response["Location"] == DASHBOARD
    assert logged_in_as(client) == owner.pk


def test_after_the_password_a_login_with_an_app_is_asked_for_a_code_and_is_not_logged_in(
    client, owner
):
    totp_device(owner)
    response = password_step(client, owner)

    assert response["Location"] == SECOND_STEP
    assert logged_in_as(client) is None
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)
    page = client.get(SECOND_STEP)
    assert "Enter the 6-digit code your authenticator app shows now." in page.text


def test_nothing_of_the_account_is_shown_before_the_second_step(client, owner):
    activate_pin(owner)
    totp_device(owner)
    password_step(client, owner)

    page = client.get(SECOND_STEP)
    assert owner.username not in page.text
    assert "support-pin-bar" not in page.text
    current = client.get(reverse("supportpin:current"))
    assert current.status_code == 302
    assert current["Location"].startswith(LOGIN)


def test_the_code_of_the_app_completes_the_login(client, owner):
    device = totp_device(owner)
    password_step(client, owner, next="/tickets/")

    response = second_step(client, totp_code(device))

    assert response["Location"] == "/tickets/"
    assert logged_in_as(client) == owner.pk
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get(DASHBOARD).status_code == 200
    assert AccountEvent.objects.filter(user=owner, kind=AccountEvent.Kind.LOGGED_IN).exists()


@pytest.mark.parametrize("spacing", ["{} {}", "{}-{}", " {}  {} ", "{}\u2013{}"])
def test_codes_with_spaces_or_dashes_are_accepted(client, owner, spacing):
    device = totp_device(owner)
    password_step(client, owner)
    code = totp_code(device)

    response = second_step(client, spacing.format(code[:3], code[3:]))

    assert response["Location"] == DASHBOARD


@pytest.mark.parametrize(
    "typed",
    ["12345a", "abcdef", "12345", "1234567", "١٢٣٤٥٦"],
    ids=["a letter", "letters", "too short", "too long", "non-ascii digits"],
)
def test_codes_of_the_wrong_shape_are_refused_with_a_clear_message_and_counted(
    client, owner, typed
):
    totp_device(owner)
    password_step(client, owner)

    response = second_step(client, typed)

    assert response.status_code == 400
    assert "A code has 6 digits and no letters, like 123 456." in response.text
    assert logged_in_as(client) is None
    assert TwoFactorState.objects.get(user=owner).failures == 1


def test_an_expired_code_is_refused(client, owner):
    device = totp_device(owner)
    password_step(client, owner)

    response = second_step(client, totp_code(device, steps_ago=4))

    assert response.status_code == 400
    assert "This code is not valid. It may be mistyped, expired or already used." in response.text


def test_a_code_is_refused_the_second_time(client, owner):
    device = totp_device(owner)
    code = totp_code(device)
    password_step(client, owner)
    second_step(client, code)
    client.post(reverse("accounts:logout"))

    password_step(client, owner)
    response = second_step(client, code)

    assert response.status_code == 400
    assert "This code has already been used. Wait for the next code in your app." in response.text
    assert logged_in_as(client) is None
    assert TwoFactorState.objects.get(user=owner).failures == 1


def test_the_code_of_another_logins_app_is_refused(client, owner, member):
    totp_device(owner)
    other_device = totp_device(member)
    password_step(client, owner)

    response = second_step(client, totp_code(other_device))

    assert response.status_code == 400
    assert logged_in_as(client) is None
    assert TwoFactorState.objects.get(user=owner).failures == 1


def test_django_otp_makes_each_device_wait_after_a_wrong_code(client, owner):
    device = totp_device(owner)
    password_step(client, owner)
    second_step(client, wrong(totp_code(device)))

    response = second_step(client, totp_code(device))

    assert response.status_code == 400
    assert "Too many attempts in a row. Wait" in response.text
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert second_step(client, totp_code(device))["Location"] == DASHBOARD


def test_failures_are_counted_across_methods_and_the_tenth_locks_the_step_and_emails(
    client, owner, mailoutbox, settings
):
    settings.TWO_FACTOR_LOCK_MINUTES = 7
    device = totp_device(owner)
    with_recovery_codes(owner)
    password_step(client, owner)
    for n in range(9):
        method = "recovery" if n % 2 else "app"
        client.post(SECOND_STEP, {"method": method, "code": "0000000000"[: 10 if n % 2 else 6]})
    assert TwoFactorState.objects.get(user=owner).failures == 9

    response = second_step(client, "000000")

    assert response.status_code == 429
    assert "the second step is locked for 7 minutes" in response.text
    [mail] = [m for m in mailoutbox if "Wrong login codes" in m.subject]
    assert mail.to == [owner.email]
    assert "locked for 7 minutes" in mail.body
    # The right code does not help while locked...
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert second_step(client, totp_code(device)).status_code == 429
    # ...and works again once the lock is over (a new password step: the first expired).
    with time_machine.travel(timezone.now() + timedelta(minutes=7, seconds=5)):
        password_step(client, owner)
        assert second_step(client, totp_code(device))["Location"] == DASHBOARD


def test_the_number_of_failures_that_lock_is_a_setting(client, owner, mailoutbox, settings):
    settings.TWO_FACTOR_FAILURE_LIMIT = 3
    totp_device(owner)
    password_step(client, owner)
    for _ in range(2):
        assert second_step(client, "000000").status_code == 400
    assert second_step(client, "000000").status_code == 429
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "then 3 wrong codes in a row" in mail.body


def test_a_recovery_code_logs_in_once(client, owner):
    totp_device(owner)
    codes = with_recovery_codes(owner)
    password_step(client, owner)

    page = client.get(SECOND_STEP)
    assert "Use another method" in page.text
    assert "?method=recovery" in page.text
    response = client.post(SECOND_STEP, {"method": "recovery", "code": codes[0].upper()})
    assert response["Location"] == DASHBOARD

    client.post(reverse("accounts:logout"))
    password_step(client, owner)
    again = client.post(SECOND_STEP, {"method": "recovery", "code": codes[0]})
    assert again.status_code == 400
    assert RecoveryCode.objects.filter(device__user=owner).count() == 9


def test_recovery_codes_are_stored_hashed(owner):
    totp_device(owner)
    codes = with_recovery_codes(owner)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


def test_email_codes_as_second_step_go_to_the_registered_address_in_the_logins_language(
    client, owner, mailoutbox
):
    owner.language = "it"
    owner.save()
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True, email="attacker@x.test")
    password_step(client, owner)

    page = client.get(SECOND_STEP)
    assert "Email me a code" in page.text
    client.post(f"{SECOND_STEP}?method=email", {"method": "email", "action": "send"})

    [mail] = mailoutbox
    assert mail.to == [owner.email]
    code = re.search(r"\b(\d{3}) (\d{3})\b", mail.body)
    response = client.post(SECOND_STEP, {"method": "email", "code": "".join(code.groups())})
    assert response["Location"] == DASHBOARD


def test_an_emailed_code_expires(client, owner, mailoutbox, settings):
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)
    password_step(client, owner)
    client.post(SECOND_STEP, {"method": "email", "action": "send"})
    code = "".join(re.search(r"\b(\d{3}) (\d{3})\b", mailoutbox[0].body).groups())
    assert "It works once, for 10 minutes." in mailoutbox[0].body

    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        password_step(client, owner)
        response = client.post(SECOND_STEP, {"method": "email", "code": code})

    assert response.status_code == 400
    assert "expired" in response.text


def test_a_session_logged_in_another_way_is_asked_for_the_second_step(owner):
    activate_pin(owner)
    totp_device(owner)
    client = logged_in(owner)  # e.g. a session from before 2FA was turned on

    response = client.get(reverse("supportpin:current"))

    assert response["Location"] == SECOND_STEP
    assert logged_in_as(client) is None


def test_the_default_method_is_offered_first(client, owner):
    totp_device(owner)
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)
    services.default_method_set(user=owner, key="email", acting_user=owner)
    password_step(client, owner)

    page = client.get(SECOND_STEP)

    assert "Enter the 6-digit code we emailed to you." in page.text
    assert "?method=app" in page.text


# --- Remember this browser ------------------------------------------------------------


def remembered_login(client, owner, device) -> None:
    password_step(client, owner)
    second_step(client, totp_code(device), remember="on")
    assert COOKIE_NAME in client.cookies
    client.post(reverse("accounts:logout"))


def test_a_remembered_browser_skips_the_second_step(client, owner):
    device = totp_device(owner)
    remembered_login(client, owner, device)

    response = password_step(client, owner)

    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_the_remember_option_says_for_how_long(client, owner, settings):
    settings.TWO_FACTOR_REMEMBER_DAYS = 12
    totp_device(owner)
    password_step(client, owner)
    assert "Remember this browser for 12 days" in client.get(SECOND_STEP).text


def test_a_password_change_revokes_remembered_browsers(client, owner):
    device = totp_device(owner)
    remembered_login(client, owner, device)
    owner.set_password("another-Secret-pass-77")
    owner.save()

    response = client.post(
        LOGIN, {"username": owner.username, "password": "another-Secret-pass-77"}
    )

    assert response["Location"] == SECOND_STEP


def test_a_two_factor_change_revokes_remembered_browsers(client, owner):
    device = totp_device(owner)
    remembered_login(client, owner, device)
    with_recovery_codes(owner)

    assert password_step(client, owner)["Location"] == SECOND_STEP


def test_forgetting_remembered_browsers_revokes_them(client, owner):
    device = totp_device(owner)
    remembered_login(client, owner, device)
    services.remembered_browsers_forget(user=owner, acting_user=owner)

    assert password_step(client, owner)["Location"] == SECOND_STEP


def test_a_browser_remembered_for_one_login_does_not_skip_anothers(client, owner, member):
    device = totp_device(owner)
    totp_device(member)
    remembered_login(client, owner, device)

    assert password_step(client, member)["Location"] == SECOND_STEP


# --- The Security page ----------------------------------------------------------------


def test_the_account_menu_links_to_the_security_page(owner_client):
    assert f'href="{SECURITY}"' in owner_client.get(DASHBOARD).text


def test_an_authenticator_app_counts_only_once_confirmed_by_a_code(owner):
    owner_client = signed_in(owner)
    page = owner_client.get(SECURITY)
    assert "Two-factor authentication is off." in page.text

    owner_client.post(reverse("accounts:security_app"), {"action": "start"})
    device = TOTPDevice.objects.get(user=owner)
    assert not device.confirmed
    page = owner_client.get(reverse("accounts:security_app"))
    assert "<svg" in page.text
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert len(secret.replace(" ", "")) == 32

    refused = owner_client.post(
        reverse("accounts:security_app"), {"code": wrong(totp_code(device))}
    )
    assert refused.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        response = owner_client.post(reverse("accounts:security_app"), {"code": totp_code(device)})
    assert response["Location"] == reverse("accounts:security_recovery_show")
    device.refresh_from_db()
    assert device.confirmed
    # The session stays usable: it counts as verified by the new app.
    assert owner_client.get(DASHBOARD).status_code == 200


def test_recovery_codes_are_shown_once_with_download_and_print(owner):
    owner_client = signed_in(owner, totp_device(owner))
    codes_page = owner_client.post(reverse("accounts:security_recovery_show"))
    page = owner_client.get(codes_page["Location"])

    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page.text)
    assert len(codes) == 10
    assert 'download="recovery-codes.txt"' in page.text
    assert "data:text/plain;charset=utf-8," in page.text
    assert "data-print" in page.text
    assert owner_client.get(reverse("accounts:security_recovery_show"))["Location"] == SECURITY


def test_new_recovery_codes_replace_the_old_ones(client, owner):
    totp_device(owner)
    old = with_recovery_codes(owner)
    new = with_recovery_codes(owner)
    password_step(client, owner)

    assert client.post(SECOND_STEP, {"method": "recovery", "code": old[0]}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        response = client.post(SECOND_STEP, {"method": "recovery", "code": new[0]})
    assert response["Location"] == DASHBOARD


def test_email_codes_are_enabled_by_the_emailed_code(owner, mailoutbox):
    owner_client = signed_in(owner)
    owner_client.post(reverse("accounts:security_email"), {"action": "start"})
    device = EmailDevice.objects.get(user=owner)
    assert not device.confirmed
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    code = "".join(re.search(r"\b(\d{3}) (\d{3})\b", mail.body).groups())

    owner_client.post(reverse("accounts:security_email"), {"action": "confirm", "code": code})

    device.refresh_from_db()
    assert device.confirmed


def test_staff_cannot_use_email_codes(agent):
    agent_client = signed_in(agent, totp_device(agent))
    response = agent_client.post(reverse("accounts:security_email"), {"action": "start"})
    assert response.status_code == 404
    assert not EmailDevice.objects.filter(user=agent).exists()
    assert "Use codes by email" not in agent_client.get(SECURITY).text


def test_removing_one_of_several_methods_needs_no_code(owner):
    app = totp_device(owner)
    owner_client = signed_in(owner, app)
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)
    url = reverse("accounts:security_remove", args=["app", app.pk])

    response = owner_client.post(url)

    assert response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.TWO_FACTOR_REMOVED).exists()


def test_turning_the_last_method_off_needs_the_password_and_a_current_code(owner):
    app = totp_device(owner)
    owner_client = signed_in(owner, app)
    with_recovery_codes(owner)
    url = reverse("accounts:security_remove", args=["app", app.pk])
    assert "Enter your password and a current code" in owner_client.get(url).text

    no_code = owner_client.post(url, {"password": PASSWORD})
    wrong_password = owner_client.post(url, {"password": "nope", "code": totp_code(app)})
    assert no_code.status_code == wrong_password.status_code == 400
    assert TOTPDevice.objects.filter(pk=app.pk).exists()

    response = owner_client.post(url, {"password": PASSWORD, "code": totp_code(app)})

    assert response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()
    assert not RecoveryCodeDevice.objects.filter(user=owner).exists()


def test_another_logins_device_cannot_be_removed(member, owner):
    owner_client = signed_in(owner)
    device = totp_device(member)
    url = reverse("accounts:security_remove", args=["app", device.pk])
    assert owner_client.post(url).status_code == 404


def test_choosing_the_default_method(owner):
    owner_client = signed_in(owner, totp_device(owner))
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)
    owner_client.post(reverse("accounts:security_default"), {"method": "email"})
    assert TwoFactorState.objects.get(user=owner).default_method == "email"


# --- Re-authentication ----------------------------------------------------------------


def test_a_two_factor_change_asks_again_for_the_password_and_a_code_after_ten_minutes(
    client, owner, settings
):
    device = totp_device(owner)
    password_step(client, owner)
    second_step(client, totp_code(device))
    regenerate = reverse("accounts:security_recovery_show")

    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        assert client.post(regenerate)["Location"] == regenerate
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(regenerate)
        assert response["Location"] == f"{REAUTH}?next={regenerate.replace('/', '%2F')}"
        page = client.get(response["Location"])
        assert "This change needs your password again and a code." in page.text
        assert "You will not be asked again for 10 minutes." in page.text
        refused = client.post(response["Location"], {"password": PASSWORD, "code": "000000"})
        assert refused.status_code == 400
        assert TwoFactorState.objects.get(user=owner).failures == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=11, seconds=31)):
        done = client.post(response["Location"], {"password": PASSWORD, "code": totp_code(device)})
        assert done["Location"] == regenerate
        assert client.post(regenerate)["Location"] == regenerate


def test_without_two_factor_re_authentication_asks_only_the_password(owner_client, owner):
    page = owner_client.get(f"{REAUTH}?next={SECURITY}")
    assert "This change needs your password again." in page.text
    assert 'name="code"' not in page.text
    response = owner_client.post(f"{REAUTH}?next={SECURITY}", {"password": PASSWORD})
    assert response["Location"] == SECURITY


def test_adding_an_app_long_after_logging_in_asks_for_the_password(owner_client):
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = owner_client.post(reverse("accounts:security_app"), {"action": "start"})
    assert response["Location"].startswith(REAUTH)


def test_a_remembered_browser_gives_no_code_so_a_change_asks_for_one(client, owner):
    device = totp_device(owner)
    remembered_login(client, owner, device)
    password_step(client, owner)

    response = client.post(reverse("accounts:security_recovery_show"))

    assert response["Location"].startswith(REAUTH)


# --- Staff ----------------------------------------------------------------------------


def test_a_staff_login_without_a_second_factor_is_sent_to_enrol_before_anything_else():
    agent = make_user("new.agent", is_staff=True)
    client = logged_in(agent)

    for path in ["/admin/", "/admin/tickets/ticket/", DASHBOARD]:
        assert client.get(path)["Location"] == SECURITY
    page = client.get(SECURITY)
    assert "Staff logins need two-factor authentication." in page.text
    assert "Use codes by email" not in page.text


def test_a_staff_login_with_only_email_codes_must_still_enrol():
    agent = make_user("mail.agent", is_staff=True)
    EmailDevice.objects.create(user=agent, name="Email", confirmed=True)
    client = logged_in_verified(agent)
    TOTPDevice.objects.filter(user=agent).delete()
    client = CommittingClient()
    client.force_login(agent)
    session = client.session
    session["otp_device_id"] = EmailDevice.objects.get(user=agent).persistent_id
    session.save()

    assert client.get("/admin/")["Location"] == SECURITY


def test_a_staff_login_enrols_an_app_and_then_opens_the_admin():
    agent = make_user("new.agent", is_staff=True)
    client = logged_in(agent)
    client.post(reverse("accounts:security_app"), {"action": "start"})
    device = TOTPDevice.objects.get(user=agent)

    client.post(reverse("accounts:security_app"), {"code": totp_code(device)})

    assert client.get("/admin/").status_code == 200


def test_the_verified_staff_client_opens_the_admin(agent_client):
    assert agent_client.get("/admin/").status_code == 200


def test_a_staff_login_with_only_email_codes_passes_the_second_step_then_must_enrol(client):
    agent = make_user("mail.agent", is_staff=True)
    EmailDevice.objects.create(user=agent, name="Email", confirmed=True)
    password_step(client, agent)

    page = client.get(SECOND_STEP)
    assert "Email me a code" in page.text


# --- Passkeys (the ceremony itself runs in tests/browser/test_two_factor.py) -----------


def test_a_passkey_needs_a_name_before_the_browser_is_asked(owner):
    client = signed_in(owner)
    response = client.post(
        reverse("accounts:passkey_register_begin"), {"name": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "This field is required." in response.json()["detail"]

    named = client.post(
        reverse("accounts:passkey_register_begin"),
        {"name": "Work laptop"},
        content_type="application/json",
    )
    options = named.json()
    assert options["rp"]["id"] == "testserver"
    assert options["user"]["name"] == owner.username


def test_the_relying_party_is_the_host_name_and_passkeys_are_not_offered_on_an_ip(owner):
    client = signed_in(owner)
    options = client.post(
        reverse("accounts:passkey_register_begin"),
        {"name": "Key"},
        content_type="application/json",
        HTTP_HOST="localhost:8000",
    ).json()
    assert options["rp"]["id"] == "localhost"
    page = client.get(SECURITY, HTTP_HOST="127.0.0.1:8000")
    assert "not by an IP address" in page.text
    assert "Add a passkey or security key" not in page.text


def test_a_forged_passkey_answer_is_refused_and_counted(client, owner):
    from django_otp_webauthn.models import WebAuthnCredential

    WebAuthnCredential.objects.create(
        user=owner, name="Key", credential_id=b"abc", public_key=b"x", sign_count=0
    )
    password_step(client, owner)
    options = client.post(reverse("accounts:passkey_options")).json()
    assert options["challenge"]
    forged = {"id": "YWJj", "rawId": "YWJj", "type": "public-key", "response": {}}

    response = client.post(
        SECOND_STEP, {"method": "passkey", "action": "passkey", "credential": json.dumps(forged)}
    )

    assert response.status_code == 400
    assert "This passkey was not accepted for this login." in response.text
    assert logged_in_as(client) is None
    assert TwoFactorState.objects.get(user=owner).failures == 1


# --- Support resets 2FA for a login that lost everything ------------------------------


def test_support_resets_two_factor_from_the_admin_recorded_and_emailed(
    supervisor_client, supervisor, owner, mailoutbox, client
):
    totp_device(owner)
    with_recovery_codes(owner)

    response = supervisor_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "two_factor_reset", "_selected_action": [owner.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not RecoveryCodeDevice.objects.filter(user=owner).exists()
    event = AccountEvent.objects.get(user=owner, kind=AccountEvent.Kind.TWO_FACTOR_RESET)
    assert event.actor == supervisor
    [mail] = [m for m in mailoutbox if m.to == [owner.email]]
    assert supervisor.get_short_name() in mail.body
    assert password_step(client, owner)["Location"] == DASHBOARD
