"""Mobile numbers (issue 8): a new number is the login's only once the code sent to it by
SMS is entered; the number in force is told of the change; numbers outside the allowed
countries, and numbers that are not mobiles, are refused; numbers saved before
verification existed are verified on their next use."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.mobile import texts
from accounts.models import AccountEvent, MobileVerification, User
from sms.models import SmsMessage
from tests.factories import link_in, logged_in, make_user, sms_code_in

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
VERIFY = reverse("accounts:mobile_verify")
VERIFY_START = reverse("accounts:mobile_verify_start")
OLD = "+306912345678"
NEW = "+306912345670"


def details(user: User, mobile: str) -> dict:
    return {"full_name": user.full_name, "mobile": mobile, "language": user.language}


def ask_for(client, user: User, mobile: str = "691 234 5670"):
    return client.post(PROFILE, details(user, mobile))


def wrong(code: str) -> str:
    digits = code.replace(" ", "")
    return f"{(int(digits) + 1) % 1_000_000:06d}"


def stored(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- Changing the number -------------------------------------------------------------


def test_a_new_number_gets_a_code_and_counts_only_once_it_is_entered(
    owner_client, owner, sms_outbox
):
    response = ask_for(owner_client, owner)

    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Fprofile%2F"
    assert stored(owner).mobile == OLD
    page = owner_client.get(response["Location"])
    assert "+30 691 234 5670" in page.text
    assert "within 10 minutes" in page.text
    code = sms_code_in(sms_outbox, NEW)

    response = owner_client.post(VERIFY, {"code": code, "next": PROFILE})

    assert response["Location"] == PROFILE
    user = stored(owner)
    assert (user.mobile, user.has_verified_mobile) == (NEW, True)
    assert not MobileVerification.objects.exists()
    assert AccountEvent.objects.filter(
        user=owner, kind=AccountEvent.Kind.MOBILE_VERIFIED, detail={"mobile": NEW}
    ).exists()
    assert "+30 691 234 5670 is verified" in owner_client.get(PROFILE).text


def test_the_number_in_force_is_told_of_the_change_with_no_text_the_customer_typed(
    owner_client, owner, sms_outbox
):
    owner.full_name = "URGENT account-suspended login-at evil-example.net"
    owner.customer.name = "CALL +44 20 7946 0000 NOW"
    owner.customer.save()
    owner.save()

    ask_for(owner_client, owner)

    [notice] = [sms for sms in sms_outbox if sms.to == OLD]
    assert "replace this mobile number" in notice.body
    [code_sms] = [sms for sms in sms_outbox if sms.to == NEW]
    for body in (notice.body, code_sms.body):
        for typed in ("olga", "urgent", "evil", "now", "+44", "691 234 5670"):
            assert typed not in body.lower()


def test_an_unverified_number_in_force_is_not_told(customer, sms_outbox):
    user = make_user("ursula", customer=customer, mobile=OLD, mobile_verified_at=None)

    ask_for(logged_in(user), user)

    assert [sms.to for sms in sms_outbox] == [NEW]


def test_the_code_is_stored_neither_in_the_verification_nor_in_the_sms_record(
    owner_client, owner, sms_outbox
):
    ask_for(owner_client, owner)
    code = sms_code_in(sms_outbox, NEW)

    verification = MobileVerification.objects.values().get()
    assert not any(code.replace(" ", "") in str(value) for value in verification.values())
    record = SmsMessage.objects.get(to=NEW)
    assert code not in record.body
    assert "*** ***" in record.body
    assert record.get_purpose_display() == "Mobile number verification"


def test_a_code_works_once(owner_client, owner, sms_outbox):
    ask_for(owner_client, owner)
    code = sms_code_in(sms_outbox, NEW)
    owner_client.post(VERIFY, {"code": code})
    ask_for(owner_client, stored(owner), "691 234 5671")

    response = owner_client.post(VERIFY, {"code": code})

    assert response.status_code == 400
    assert stored(owner).mobile == NEW


@pytest.mark.parametrize("typed", ["{code}", "{digits}", "{dashed}", " {code} "])
def test_codes_with_spaces_or_dashes_are_accepted(owner_client, owner, sms_outbox, typed):
    ask_for(owner_client, owner)
    code = sms_code_in(sms_outbox, NEW)
    digits = code.replace(" ", "")

    owner_client.post(
        VERIFY,
        {"code": typed.format(code=code, digits=digits, dashed=f"{digits[:3]}-{digits[3:]}")},
    )

    assert stored(owner).mobile == NEW


def test_the_code_expires_after_the_minutes_the_setting_names(
    owner_client, owner, sms_outbox, settings
):
    settings.MOBILE_VERIFICATION_MINUTES = 15
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask_for(owner_client, owner)
        assert "It works for 15 minutes" in [sms for sms in sms_outbox if sms.to == NEW][0].body
        code = sms_code_in(sms_outbox, NEW)
        clock.shift(timedelta(minutes=15))
        response = owner_client.post(VERIFY, {"code": code}, follow=True)

    assert "This code has expired" in response.text
    assert stored(owner).mobile == OLD
    assert not MobileVerification.objects.exists()


def test_five_wrong_codes_void_it_and_letters_or_wrong_lengths_count(
    owner_client, owner, sms_outbox
):
    ask_for(owner_client, owner)
    code = sms_code_in(sms_outbox, NEW)

    answers = [
        owner_client.post(VERIFY, {"code": typed})
        for typed in ["12345a", "1234", "1234567", wrong(code)]
    ]

    assert [a.status_code for a in answers] == [400] * 4
    assert "1 attempt left" in answers[-1].text
    assert "a code has 6 digits" in answers[0].text
    response = owner_client.post(VERIFY, {"code": wrong(code)}, follow=True)
    assert "Too many wrong codes" in response.text
    owner_client.post(VERIFY, {"code": code})
    assert stored(owner).mobile == OLD


def test_a_new_code_can_be_sent_a_limited_number_of_times_and_replaces_the_old(
    owner_client, owner, sms_outbox, settings
):
    settings.MOBILE_VERIFICATION_RESENDS = 1
    ask_for(owner_client, owner)
    first = sms_code_in(sms_outbox, NEW)

    owner_client.post(VERIFY, {"action": "resend"})
    second = sms_code_in(sms_outbox, NEW)
    page = owner_client.get(VERIFY)
    refused = owner_client.post(VERIFY, {"action": "resend"}, follow=True)

    assert len([sms for sms in sms_outbox if sms.to == NEW]) == 2
    assert "Send another code" not in page.text
    assert "We cannot send more codes" in refused.text
    if first != second:
        assert owner_client.post(VERIFY, {"code": first}).status_code == 400
    owner_client.post(VERIFY, {"code": second})
    assert stored(owner).mobile == NEW


def test_keeping_the_number_unchanged_forgets_the_new_one(owner_client, owner, sms_outbox):
    ask_for(owner_client, owner)

    owner_client.post(VERIFY, {"action": "cancel"})

    assert stored(owner).mobile == OLD
    assert not MobileVerification.objects.exists()
    assert owner_client.get(VERIFY)["Location"] == PROFILE


def test_changing_the_mobile_asks_for_the_password_again_after_the_reauth_window(
    owner_client, owner, sms_outbox
):
    session = owner_client.session
    session["reauthenticated_at"] = time.time() - 11 * 60
    session.save()

    response = ask_for(owner_client, owner)

    assert response["Location"].startswith(reverse("accounts:reauthenticate"))
    assert sms_outbox == []
    assert not MobileVerification.objects.exists()


def test_removing_the_mobile_needs_no_code(owner_client, owner, sms_outbox):
    ask_for(owner_client, owner, "")

    user = stored(owner)
    assert (user.mobile, user.mobile_verified_at) == ("", None)
    assert sms_outbox == []


# --- Which numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("+30 210 123 4567", "not a mobile number"),
        ("+30 901 123 4567", "not a mobile number"),  # premium rate
        ("+30 801 123 4567", "not a mobile number"),  # shared cost
        ("+39 848 123 456", "not a mobile number"),  # shared cost
        ("+30 70 1234 5678", "not a mobile number"),  # personal number
        ("+44 7400 123456", "+30 (GR), +357 (CY), +39 (IT), +421 (SK), +420 (CZ)"),
        ("+1 201 555 0123", "We can send SMS only to mobile numbers of these countries"),
    ],
)
def test_numbers_sms_cannot_or_may_not_reach_are_refused_and_nothing_is_sent(
    owner_client, owner, sms_outbox, typed, message
):
    response = ask_for(owner_client, owner, typed)

    assert response.status_code == 400
    assert message in response.context["form"].errors["mobile"][0]
    assert sms_outbox == []
    assert stored(owner).mobile == OLD


def test_the_allowed_countries_are_a_setting(owner_client, owner, sms_outbox, settings):
    settings.SMS_ALLOWED_COUNTRIES = ["GR", "GB"]

    ask_for(owner_client, owner, "+44 7400 123456")

    assert [sms.to for sms in sms_outbox if sms.to != OLD] == ["+447400123456"]


def test_where_mobiles_and_landlines_look_alike_the_code_is_the_proof(
    owner_client, owner, sms_outbox, settings
):
    # In the US, phonenumbers can only say FIXED_LINE_OR_MOBILE: accepted, and verified
    # by the code like any other.
    settings.SMS_ALLOWED_COUNTRIES = ["GR", "US"]

    ask_for(owner_client, owner, "+1 201 555 0123")

    assert "+12015550123" in [sms.to for sms in sms_outbox]


# --- Numbers saved before verification existed -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_numbers_unverified(owner):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0003_two_factor")])
    executor = MigrationExecutor(connection)
    old = executor.loader.project_state(("accounts", "0003_two_factor")).apps
    old.get_model("accounts", "User").objects.filter(pk=owner.pk).update(mobile="+393471234567")

    executor.migrate(executor.loader.graph.leaf_nodes())

    user = stored(owner)
    assert (user.mobile, user.mobile_verified_at) == ("+393471234567", None)


def test_an_unverified_number_is_offered_a_code_and_verified_without_a_notice(customer, sms_outbox):
    user = make_user("ursula", customer=customer, mobile=OLD, mobile_verified_at=None)
    client = logged_in(user)
    page = client.get(PROFILE)
    assert "not verified yet" in page.text

    response = client.post(VERIFY_START, {"next": PROFILE})
    client.post(response["Location"], {"code": sms_code_in(sms_outbox, OLD)})

    assert [sms.to for sms in sms_outbox] == [OLD]
    assert stored(user).has_verified_mobile
    assert "Your mobile number is verified." in client.get(PROFILE).text


def test_an_unchanged_number_outside_the_allowed_countries_does_not_block_the_profile(
    customer, settings
):
    user = make_user("gb", customer=customer, mobile="+447400123456", mobile_verified_at=None)
    settings.SMS_ALLOWED_COUNTRIES = ["GR"]

    response = logged_in(user).post(
        PROFILE, {"full_name": "New Name", "mobile": "+447400123456", "language": "en"}
    )

    assert response.status_code == 302
    assert (stored(user).full_name, stored(user).mobile) == ("New Name", "+447400123456")


def test_the_admin_shows_the_mobile_but_cannot_set_it(supervisor_client, owner):
    page = supervisor_client.get(reverse("admin:accounts_user_change", args=[owner.pk]))

    assert page.status_code == 200
    assert 'name="mobile"' not in page.text
    assert "+306912345678" in page.text


# --- Limits ------------------------------------------------------------------------------


def test_a_number_gets_at_most_five_sms_an_hour_whoever_asks(customer, sms_outbox, settings):
    settings.SMS_LIMIT_PER_LOGIN_WINDOW = 100
    settings.SMS_LIMIT_PER_ADDRESS_HOUR = 100
    clients = [
        logged_in(make_user(f"user{n}", customer=customer, role=User.Role.MEMBER)) for n in range(6)
    ]
    answers = [
        c.post(PROFILE, {"full_name": "X", "mobile": NEW, "language": "en"}, follow=True)
        for c in clients
    ]

    assert len([sms for sms in sms_outbox if sms.to == NEW]) == 5
    assert "most SMS allowed in an hour" in answers[-1].text
    assert MobileVerification.objects.count() == 5


def test_the_verification_sms_goes_through_the_gateway_with_its_own_purpose(owner_client, owner):
    ask_for(owner_client, owner)

    purposes = set(SmsMessage.objects.values_list("purpose", flat=True))
    assert purposes == {texts.MOBILE_CODE, texts.MOBILE_CHANGE_NOTICE}
    assert not mail.outbox


# --- Invitation acceptance ---------------------------------------------------------------


def test_an_invitee_may_give_a_mobile_verified_by_a_code_after_logging_in(
    owner_client, client, mailoutbox, sms_outbox
):
    owner_client.post(
        reverse("accounts:people"),
        {"full_name": "Maria Member", "email": "maria@example.com", "username": "maria"},
    )
    link = link_in(mailoutbox[0], "/accounts/invitation/")
    password = "Marias-own-Secret-19"
    assert 'name="mobile"' in client.get(link).text

    accepted = client.post(
        link, {"password1": password, "password2": password, "mobile": "+30 691 234 5670"}
    )
    maria = User.objects.get(username="maria")
    assert (maria.is_active, maria.mobile) == (True, "")
    assert (
        accepted["Location"] == f"{reverse('accounts:login')}?next=%2Faccounts%2Fmobile%2Fverify%2F"
    )
    logged = client.post(accepted["Location"], {"username": "maria", "password": password})
    assert logged["Location"] == VERIFY
    client.post(VERIFY, {"code": sms_code_in(sms_outbox, NEW)})

    maria.refresh_from_db()
    assert (maria.mobile, maria.has_verified_mobile) == (NEW, True)


def test_an_invitee_with_a_number_outside_the_allowed_countries_is_refused(
    owner_client, client, mailoutbox, sms_outbox
):
    owner_client.post(
        reverse("accounts:people"),
        {"full_name": "Maria Member", "email": "maria@example.com", "username": "maria"},
    )
    link = link_in(mailoutbox[0], "/accounts/invitation/")

    response = client.post(
        link,
        {"password1": "Marias-own-19", "password2": "Marias-own-19", "mobile": "+447400123456"},
    )

    assert response.status_code == 400
    assert "We can send SMS only" in response.context["form"].errors["mobile"][0]
    assert not User.objects.get(username="maria").is_active
    assert sms_outbox == []


# --- Queries -------------------------------------------------------------------------------


def test_the_security_page_takes_as_many_queries_whatever_the_methods(owner, sms_outbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_email.models import EmailDevice

    from accounts.mfa.services import sms_codes_start
    from tests.factories import totp_device

    app = totp_device(owner)
    device = sms_codes_start(user=owner)
    device.confirmed = True
    device.save()
    client = logged_in(owner)
    session = client.session
    session["otp_device_id"] = app.persistent_id
    session.save()
    client.get(reverse("accounts:security"))  # a session's first request reads its index row
    with CaptureQueriesContext(connection) as two_methods:
        page = client.get(reverse("accounts:security"))
    EmailDevice.objects.create(user=owner, name="Email", confirmed=True)
    with CaptureQueriesContext(connection) as three_methods:
        client.get(reverse("accounts:security"))

    assert "On: codes go by SMS" in page.text
    assert len(three_methods) == len(two_methods)
