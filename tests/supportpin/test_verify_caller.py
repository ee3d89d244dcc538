"""The agent's "Verify a caller" page: find, verify, locks, throttles, record actions."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from portal.admin import ReadOnlyAuditAdmin
from sms.models import InboundSms, SmsMessage
from supportpin.models import AssistedAction, PinEvent, SupportPin, VerificationAttempt
from supportpin.services import (
    VerificationRequired,
    assisted_action_record,
    support_pin_regenerate,
    support_pin_verify,
)
from tests.factories import activate_pin, make_user, pin_of

pytestmark = pytest.mark.django_db
PAGE = reverse("admin:supportpin_callerverification_changelist")
T0 = datetime(2025, 6, 2, 9, 10, tzinfo=UTC)


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def verify(client, user, pin):
    return client.post(PAGE, {"login": user.pk, "pin": pin}, follow=True)


# --- Access ---------------------------------------------------------------------------


def test_customers_cannot_reach_the_agent_pages(owner_client, owner):
    for url in [
        PAGE,
        reverse("admin:supportpin_callerverification_send_pin", args=[owner.pk]),
        reverse("admin:supportpin_verificationattempt_changelist"),
        reverse("admin:supportpin_assistedaction_changelist"),
        reverse("admin:sms_smsmessage_changelist"),
    ]:
        response = owner_client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_every_agent_sees_verify_a_caller_in_the_admin(agent_client):
    assert "Verify a caller" in agent_client.get(reverse("admin:index")).text


def test_staff_logins_cannot_be_looked_up(agent_client, supervisor):
    assert agent_client.get(PAGE, {"login": supervisor.pk}).status_code == 404


# --- Finding the caller ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["C-1001", "olga.owner", "OLGA.OWNER@example.com", "+30 691 234 5678", "6912345678"]
)
def test_login_found_by_contract_username_email_or_mobile(agent_client, owner, query):
    page = agent_client.get(PAGE, {"q": query})
    assert f"?login={owner.pk}" in page.text


def test_partial_matches_find_nothing(agent_client, owner):
    assert f"?login={owner.pk}" not in agent_client.get(PAGE, {"q": "olga"}).text


# --- Verification ----------------------------------------------------------------------


def test_correct_pin_verifies_and_shows_the_callers_details(agent_client, agent, owner):
    activate_pin(owner)
    page = verify(agent_client, owner, pin_of(owner))
    assert "Verified" in page.text
    assert owner.full_name in page.text
    assert "Acme Hosting" in page.text
    assert "Premium" in page.text
    assert "Can use the Support PIN" in page.text
    attempt = VerificationAttempt.objects.get()
    assert (attempt.agent, attempt.user, attempt.result) == (agent, owner, "verified")
    assert attempt.ip_address == "127.0.0.1"


def test_wrong_pin_is_not_verified(agent_client, owner):
    activate_pin(owner)
    page = verify(agent_client, owner, wrong(pin_of(owner)))
    assert "Wrong PIN" in page.text
    assert "Not verified" in page.text
    assert VerificationAttempt.objects.get().result == "wrong_pin"


def test_a_used_pin_is_refused(agent, owner):
    activate_pin(owner)
    pin = pin_of(owner)
    assert support_pin_verify(user=owner, pin=pin, agent=agent).succeeded
    assert not support_pin_verify(user=owner, pin=pin, agent=agent).succeeded


def test_previous_windows_pin_is_accepted_the_one_before_refused(agent, owner):
    with time_machine.travel(T0, tick=False):
        activate_pin(owner)
        earlier = pin_of(owner, at=T0 - timedelta(minutes=30))
        previous = pin_of(owner)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        assert not support_pin_verify(user=owner, pin=earlier, agent=agent).succeeded
        assert support_pin_verify(user=owner, pin=previous, agent=agent).succeeded


def test_success_marks_the_login_verified_for_15_minutes_for_every_agent(
    agent_client, agent, owner
):
    other_agent = make_user("bob.agent", is_staff=True)
    from tests.factories import logged_in_verified

    other_client = logged_in_verified(other_agent)
    with time_machine.travel(T0, tick=False):
        activate_pin(owner)
        verify(agent_client, owner, pin_of(owner))
    with time_machine.travel(T0 + timedelta(minutes=14), tick=False):
        page = other_client.get(PAGE, {"login": owner.pk})
        assert "Verified" in page.text
        assert "Record the action" in page.text
    with time_machine.travel(T0 + timedelta(minutes=15), tick=False):
        page = other_client.get(PAGE, {"login": owner.pk})
        assert "Not verified" in page.text


def test_verification_burns_the_pin_and_the_bar_shows_a_new_one(owner_client, agent, owner):
    activate_pin(owner)
    pin = pin_of(owner)
    support_pin_verify(user=owner, pin=pin, agent=agent)
    assert owner_client.get(reverse("supportpin:current")).json()["pin"].replace(" ", "") != pin


# --- Locks -----------------------------------------------------------------------------


def test_five_failures_in_30_minutes_lock_verification_for_30_minutes(agent, owner, mailbox):
    with time_machine.travel(T0, tick=False):
        activate_pin(owner)
        pin = pin_of(owner)
        for _ in range(5):
            support_pin_verify(user=owner, pin=wrong(pin), agent=agent)
        assert support_pin_verify(user=owner, pin=pin, agent=agent).result == "locked"
    with time_machine.travel(T0 + timedelta(minutes=29), tick=False):
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).result == "locked"
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded
    assert PinEvent.objects.filter(user=owner, kind=PinEvent.Kind.LOCKED).count() == 1


def five_wrong_pins_at_t0(agent, owner, capture_on_commit) -> None:
    with time_machine.travel(T0, tick=False):
        activate_pin(owner)
        with capture_on_commit(execute=True):
            for _ in range(5):
                support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)


def test_the_customer_is_emailed_when_the_30_minute_lock_engages(
    django_capture_on_commit_callbacks, agent, owner, mailbox
):
    five_wrong_pins_at_t0(agent, owner, django_capture_on_commit_callbacks)
    [email] = mailbox
    assert email.to == [owner.email]
    assert "30 minutes" in email.subject
    assert "12:40" in email.body


def test_the_lock_lasts_as_long_as_its_setting_says_and_the_email_names_it(
    settings, django_capture_on_commit_callbacks, agent_client, agent, owner, mailbox
):
    settings.SUPPORT_PIN_SOFT_LOCK_MINUTES = 45
    five_wrong_pins_at_t0(agent, owner, django_capture_on_commit_callbacks)
    [email] = mailbox
    assert "locked for 45 minutes" in email.subject
    assert "12:55" in email.body
    with time_machine.travel(T0 + timedelta(minutes=44), tick=False):
        page = agent_client.get(PAGE, {"login": owner.pk})
        assert "until 12:55" in page.text
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).result == "locked"
    with time_machine.travel(T0 + timedelta(minutes=45), tick=False):
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded


def test_failures_spread_over_more_than_30_minutes_do_not_lock(agent, owner):
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        activate_pin(owner)
    for step in range(5):
        with time_machine.travel(T0 + timedelta(minutes=8 * step), tick=False):
            support_pin_verify(user=owner, pin="000000", agent=agent)
    with time_machine.travel(T0 + timedelta(minutes=33), tick=False):
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded


def test_failures_are_counted_per_login_across_agents(owner):
    activate_pin(owner)
    agents = [make_user(f"agent{n}", is_staff=True) for n in range(5)]
    for agent in agents:
        support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)
    assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agents[0]).result == "locked"


def test_ten_failures_without_success_lock_until_the_customer_regenerates(
    django_capture_on_commit_callbacks, owner_client, agent, owner, mailbox
):
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        activate_pin(owner)
    with django_capture_on_commit_callbacks(execute=True):
        for round_start in (T0, T0 + timedelta(minutes=30)):
            with time_machine.travel(round_start, tick=False):
                for _ in range(5):
                    support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)
    later = T0 + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).result == "locked"
        assert "generate a new one" in mailbox[-1].body
        assert (
            "Generate a new PIN to unlock it"
            in owner_client.get(reverse("supportpin:mobile_services")).text
        )
        support_pin_regenerate(user=owner, acting_user=owner)
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded
    assert [m.subject for m in mailbox] == [
        "Support PIN verification locked for 30 minutes",
        "Support PIN verification locked: generate a new PIN",
    ]
    assert PinEvent.objects.filter(user=owner, kind=PinEvent.Kind.HARD_LOCKED).count() == 1


def test_a_success_resets_the_count_towards_the_hard_lock(agent, owner):
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        activate_pin(owner)
    for round_start in (T0, T0 + timedelta(minutes=40)):
        with time_machine.travel(round_start, tick=False):
            for _ in range(4):
                support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)
            assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded
    with time_machine.travel(T0 + timedelta(minutes=80), tick=False):
        for _ in range(4):
            support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)
        assert support_pin_verify(user=owner, pin=pin_of(owner), agent=agent).succeeded


def test_the_locked_page_says_until_when(agent_client, agent, owner):
    with time_machine.travel(T0, tick=False):
        activate_pin(owner)
        for _ in range(5):
            support_pin_verify(user=owner, pin=wrong(pin_of(owner)), agent=agent)
        page = agent_client.get(PAGE, {"login": owner.pk})
    assert "Locked after wrong PINs, until 12:40" in page.text


def test_each_agent_is_throttled_after_30_failures_an_hour(agent, customer):
    logins = []
    for n in range(8):
        user = make_user(f"c{n}", customer=customer, role="owner", mobile=f"+3069123400{n:02d}")
        activate_pin(user)
        logins.append(user)
    with time_machine.travel(T0, tick=False):
        for n in range(30):
            support_pin_verify(user=logins[n % 8], pin="000000", agent=agent)
        target = logins[7]
        attempt = support_pin_verify(user=target, pin=pin_of(target), agent=agent)
        assert attempt.result == "agent_throttled"
        other_agent = make_user("fresh.agent", is_staff=True)
        assert support_pin_verify(user=target, pin=pin_of(target), agent=other_agent).succeeded
    with time_machine.travel(T0 + timedelta(hours=1, seconds=1), tick=False):
        target = logins[6]
        assert support_pin_verify(user=target, pin=pin_of(target), agent=agent).succeeded


def test_an_invalid_pin_format_is_not_an_attempt(agent_client, owner):
    activate_pin(owner)
    page = agent_client.post(PAGE, {"login": owner.pk, "pin": "12ab"})
    assert "The Support PIN has 6 digits." in page.text
    assert not VerificationAttempt.objects.exists()


# --- SMS from the agent's page -----------------------------------------------------------


def test_agent_sends_the_pin_only_to_the_registered_mobile(agent_client, owner, sms_outbox):
    activate_pin(owner)
    url = reverse("admin:supportpin_callerverification_send_pin", args=[owner.pk])
    page = agent_client.post(url, {"to": "+306900000000"}, follow=True)
    assert "on its way to the registered mobile" in page.text
    assert [sms.to for sms in sms_outbox] == [owner.mobile]


def test_the_agent_sees_why_an_sms_failed(agent_client, owner, twilio_standin):
    activate_pin(owner)
    twilio_standin.script(twilio_standin.error(400, 21211, "Invalid 'To' Phone Number"))
    url = reverse("admin:supportpin_callerverification_send_pin", args=[owner.pk])
    page = agent_client.post(url, follow=True)
    assert "21211: The number is not a valid phone number." in page.text


def test_the_agent_reads_why_an_sms_failed_in_their_language_not_the_providers_english(
    agent, agent_client, owner, twilio_standin
):
    agent.language = "el"
    agent.save()
    activate_pin(owner)
    twilio_standin.script(twilio_standin.error(400, 21614, "'To' number is not a valid mobile"))
    url = reverse("admin:supportpin_callerverification_send_pin", args=[owner.pk])
    page = agent_client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="el")
    row = page.text.split('data-testid="sms-')[1].split("</tr>")[0]
    assert "21614: Αυτός ο αριθμός δεν είναι κινητό· δεν μπορεί να λάβει SMS." in row
    assert "valid mobile" not in row


# --- Recording actions -------------------------------------------------------------------


def test_agent_records_a_dns_change_after_verifying_and_the_customer_is_emailed(
    agent_client, agent, owner, mailbox
):
    activate_pin(owner)
    verify(agent_client, owner, pin_of(owner))
    url = reverse("admin:supportpin_callerverification_record", args=[owner.pk])
    page = agent_client.post(
        url, {"kind": "dns_records", "detail": "Added MX for acme.gr"}, follow=True
    )
    assert "recorded and the customer notified" in page.text
    action = AssistedAction.objects.get()
    assert (action.agent, action.user, action.kind) == (agent, owner, "dns_records")
    assert action.verification.result == "verified"
    [email] = mailbox
    assert email.to == [owner.email]
    assert "DNS records change" in email.subject
    assert "Added MX for acme.gr" in email.body


def test_no_action_can_be_recorded_without_a_current_verification(agent_client, agent, owner):
    activate_pin(owner)
    url = reverse("admin:supportpin_callerverification_record", args=[owner.pk])
    page = agent_client.post(url, {"kind": "dns_records", "detail": "x"}, follow=True)
    assert "Verify the caller" in page.text
    assert not AssistedAction.objects.exists()
    with time_machine.travel(T0, tick=False):
        support_pin_verify(user=owner, pin=pin_of(owner), agent=agent)
    with (
        time_machine.travel(T0 + timedelta(minutes=16), tick=False),
        pytest.raises(VerificationRequired),
    ):
        assisted_action_record(user=owner, agent=agent, kind="dns_records", detail="x")


def test_the_customer_sees_verifications_and_actions_newest_first(owner_client, agent, owner):
    activate_pin(owner)
    with time_machine.travel(T0, tick=False):
        support_pin_verify(user=owner, pin="000000", agent=agent)
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        support_pin_verify(user=owner, pin=pin_of(owner), agent=agent)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assisted_action_record(user=owner, agent=agent, kind="nameservers", detail="ns1.acme.gr")
    page = owner_client.get(reverse("supportpin:history")).text
    positions = [page.index(text) for text in ["ns1.acme.gr", "Verified", "Wrong PIN"]]
    assert positions == sorted(positions)


# --- Supervisors' audit trail --------------------------------------------------------------


def test_supervisors_list_and_filter_attempts_and_actions(supervisor_client, agent, owner):
    activate_pin(owner)
    support_pin_verify(user=owner, pin="000000", agent=agent)
    support_pin_verify(user=owner, pin=pin_of(owner), agent=agent)
    assisted_action_record(user=owner, agent=agent, kind="plesk_settings", detail="PHP 8.3")
    attempts = reverse("admin:supportpin_verificationattempt_changelist")
    assert supervisor_client.get(attempts, {"result": "wrong_pin"}).context["cl"].result_count == 1
    actions = reverse("admin:supportpin_assistedaction_changelist")
    assert supervisor_client.get(actions, {"kind": "plesk_settings"}).status_code == 200


def test_nothing_in_the_audit_trail_can_be_edited_or_deleted(supervisor_client, agent, owner):
    activate_pin(owner)
    attempt = support_pin_verify(user=owner, pin=pin_of(owner), agent=agent)
    action = assisted_action_record(user=owner, agent=agent, kind="dns_records", detail="x")
    for name, obj in [("verificationattempt", attempt), ("assistedaction", action)]:
        delete = reverse(f"admin:supportpin_{name}_delete", args=[obj.pk])
        assert supervisor_client.post(delete, {"post": "yes"}).status_code == 403
        change = reverse(f"admin:supportpin_{name}_change", args=[obj.pk])
        response = supervisor_client.post(change, {"detail": "changed", "result": "verified"})
        assert response.status_code == 403
    assert supervisor_client.get(reverse("admin:supportpin_assistedaction_add")).status_code == 403
    action.refresh_from_db()
    assert action.detail == "x"


def test_every_audit_trail_and_the_sms_log_share_the_read_only_audit_admin():
    audited = [VerificationAttempt, AssistedAction, PinEvent, SupportPin, SmsMessage, InboundSms]
    for model in audited:
        assert isinstance(admin.site._registry[model], ReadOnlyAuditAdmin), model


@time_machine.travel(T0, tick=False)
def test_the_pin_and_the_secret_stay_out_of_error_reports(rf, agent, owner):
    from unittest import mock

    from django.views.debug import ExceptionReporter

    from supportpin.crypto import decrypt_secret
    from supportpin.models import SupportPin

    activate_pin(owner)
    pin = pin_of(owner)
    secret = decrypt_secret(SupportPin.objects.get(user=owner).encrypted_secret)
    with (
        mock.patch("supportpin.pin.constant_time_compare", side_effect=RuntimeError),
        pytest.raises(RuntimeError) as raised,
    ):
        support_pin_verify(user=owner, pin=pin, agent=agent)
    reporter = ExceptionReporter(rf.get("/"), raised.type, raised.value, raised.tb)
    frames = [
        frame for frame in reporter.get_traceback_data()["frames"] if frame["filename"] != __file__
    ]
    shown = " ".join(str(value) for frame in frames for _name, value in frame["vars"])
    assert any(frame["function"] == "pin_matches" for frame in frames)
    assert pin not in shown
    assert repr(secret) not in shown
    assert secret.hex() not in shown


def test_the_pin_an_agent_types_is_hidden_from_error_reports(agent_client, owner):
    from unittest import mock

    from django.core.signals import got_request_exception
    from django.views.debug import SafeExceptionReporterFilter

    activate_pin(owner)
    seen = []

    def record(sender, request, **kwargs):
        seen.append(SafeExceptionReporterFilter().get_post_parameters(request))

    got_request_exception.connect(record)
    agent_client.raise_request_exception = False
    try:
        with mock.patch("supportpin.services.pin_matches", side_effect=RuntimeError):
            response = agent_client.post(PAGE, {"login": owner.pk, "pin": "123456"})
    finally:
        got_request_exception.disconnect(record)
    assert response.status_code == 500
    assert seen and seen[0]["pin"] != "123456"
    assert seen[0]["login"] == str(owner.pk)
