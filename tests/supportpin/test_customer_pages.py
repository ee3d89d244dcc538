"""The customer's side: mobile services page, activation, the bar and its refresh."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from supportpin.models import PinEvent, SupportPin
from supportpin.pin import format_pin
from tests.factories import activate_pin, pin_of, sms_code_in

pytestmark = pytest.mark.django_db
# 12:10 in Athens (UTC+3 in summer).
MORNING = datetime(2025, 6, 2, 9, 10, tzinfo=UTC)
PAGE = reverse("supportpin:mobile_services")


def test_mobile_services_requires_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_one_click_activates_when_the_login_has_a_mobile(owner_client, owner):
    page = owner_client.get(PAGE)
    assert "+30 691 234 5678" in page.text
    response = owner_client.post(reverse("supportpin:activate"))
    assert response.status_code == 302
    support_pin = SupportPin.objects.get(user=owner)
    assert support_pin.is_active
    assert PinEvent.objects.filter(user=owner, kind=PinEvent.Kind.ACTIVATED, actor=owner).exists()


def test_without_a_mobile_the_page_asks_for_it_first(customer, sms_outbox):
    from tests.factories import CommittingClient, make_user

    user = make_user("nomobile", customer=customer, role=User.Role.OWNER)
    c = CommittingClient()
    c.force_login(user)
    page = c.get(PAGE)
    assert 'name="mobile"' in page.text
    response = c.post(reverse("supportpin:activate"), {"mobile": "691 234 5670"})
    assert response.status_code == 302
    # The number is the login's once the code sent to it is entered; then the PIN is
    # activated from the page.
    assert response["Location"].startswith(reverse("accounts:mobile_verify"))
    assert User.objects.get(pk=user.pk).mobile == ""
    response = c.post(response["Location"], {"code": sms_code_in(sms_outbox, "+306912345670")})
    assert response["Location"] == PAGE
    user.refresh_from_db()
    assert (user.mobile, user.has_verified_mobile) == ("+306912345670", True)
    assert not SupportPin.objects.filter(user=user).exists()
    c.post(reverse("supportpin:activate"))
    assert SupportPin.objects.get(user=user).is_active


def test_an_invalid_mobile_is_refused_and_nothing_activated(customer):
    from tests.factories import CommittingClient, make_user

    user = make_user("nomobile", customer=customer, role=User.Role.OWNER)
    c = CommittingClient()
    c.force_login(user)
    response = c.post(reverse("supportpin:activate"), {"mobile": "+30 210 123 4567"})
    assert response.status_code == 200
    assert "not a mobile number" in response.text
    assert not SupportPin.objects.exists()


def test_a_member_cannot_activate_without_the_owners_permission(member_client, member):
    page = member_client.get(PAGE)
    assert "has not allowed this login" in page.text
    response = member_client.post(reverse("supportpin:activate"), {"mobile": "+306912345671"})
    assert response.status_code == 404
    assert not SupportPin.objects.exists()


def test_a_member_with_the_owners_permission_can_activate(member_client, member, sms_outbox):
    member.can_use_support_pin = True
    member.save()
    response = member_client.post(reverse("supportpin:activate"), {"mobile": "+306912345671"})
    member_client.post(response["Location"], {"code": sms_code_in(sms_outbox, "+306912345671")})
    member_client.post(reverse("supportpin:activate"))
    assert SupportPin.objects.get(user=member).is_active


@time_machine.travel(MORNING, tick=False)
def test_bar_shows_the_grouped_pin_and_when_it_changes_on_every_page(owner_client, owner):
    activate_pin(owner)
    for url in [reverse("portal:dashboard"), PAGE, reverse("supportpin:history")]:
        page = owner_client.get(url)
        assert format_pin(pin_of(owner)) in page.text
        assert "12:30" in page.text
        assert "20 minutes left" in page.text
        assert reverse("supportpin:send_sms") in page.text


def test_no_bar_before_activation(owner_client):
    assert "data-pin-bar" not in owner_client.get(reverse("portal:dashboard")).text


def test_staff_cannot_activate_and_never_get_a_bar(agent, agent_client):
    from django.core.exceptions import PermissionDenied

    agent.mobile = "+306912345672"
    agent.save()
    with pytest.raises(PermissionDenied):
        activate_pin(agent)
    assert "data-pin-bar" not in agent_client.get(reverse("portal:home")).text


def test_no_bar_for_a_member_whose_permission_was_withdrawn(member_client, member):
    member.can_use_support_pin = True
    member.mobile = "+306912345671"
    member.save()
    activate_pin(member)
    member.can_use_support_pin = False
    member.save()
    assert "data-pin-bar" not in member_client.get(reverse("portal:dashboard")).text


def test_the_bar_adds_at_most_one_query(owner_client, owner, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("portal:dashboard")
    with CaptureQueriesContext(connection) as without_pin:
        owner_client.get(url)
    activate_pin(owner)
    with django_assert_max_num_queries(len(without_pin) + 1):
        page = owner_client.get(url)
    assert format_pin(pin_of(owner)) in page.text


def pin_queries(client) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("portal:dashboard"))
    assert page.status_code == 200
    return [q["sql"] for q in queries if "supportpin_supportpin" in q["sql"]]


def test_a_login_whose_pin_is_off_costs_no_pin_query(owner_client, owner):
    from supportpin.services import support_pin_deactivate

    assert pin_queries(owner_client) == []
    activate_pin(owner)
    assert len(pin_queries(owner_client)) == 1
    support_pin_deactivate(user=owner, acting_user=owner)

    assert pin_queries(owner_client) == []
    assert "data-pin-bar" not in owner_client.get(reverse("portal:dashboard")).text


def test_a_member_who_may_not_use_the_pin_costs_no_pin_query(member_client, member):
    member.can_use_support_pin = True
    member.mobile = "+306912345671"
    member.save()
    activate_pin(member)
    member.can_use_support_pin = False
    member.save()

    assert pin_queries(member_client) == []


def test_a_deleted_login_keeps_no_pin_on(customer):
    from accounts.privacy.services import login_delete
    from tests.factories import make_user

    member = make_user("pia.member", customer=customer, role=User.Role.MEMBER)
    member.can_use_support_pin = True
    member.mobile = "+306912345679"
    member.save()
    activate_pin(member)

    login_delete(user=member)

    assert not User.objects.get(pk=member.pk).has_active_support_pin


def test_refresh_endpoint_gives_the_new_pin_after_the_half_hour(owner_client, owner):
    activate_pin(owner)
    with time_machine.travel(datetime(2025, 6, 2, 9, 29, 59, tzinfo=UTC), tick=False):
        before = owner_client.get(reverse("supportpin:current")).json()
    with time_machine.travel(datetime(2025, 6, 2, 9, 30, tzinfo=UTC), tick=False):
        response = owner_client.get(reverse("supportpin:current"))
        after = response.json()
        assert after["pin"] == format_pin(pin_of(owner))
    assert before["pin"] != after["pin"]
    assert before["seconds_left"] == 1
    assert after["seconds_left"] == 1800
    assert after["changes_at_display"] == "13:00"


def test_refresh_endpoint_is_never_cached(owner_client, owner):
    activate_pin(owner)
    response = owner_client.get(reverse("supportpin:current"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_refresh_endpoint_requires_login(client):
    response = client.get(reverse("supportpin:current"))
    assert response.status_code == 302


def test_refresh_endpoint_is_404_without_an_active_pin(owner_client):
    assert owner_client.get(reverse("supportpin:current")).status_code == 404


def test_regenerate_kills_the_pin_shown_a_moment_ago(owner_client, owner, agent):
    from supportpin.services import support_pin_verify

    activate_pin(owner)
    old_pin = pin_of(owner)
    owner_client.post(reverse("supportpin:regenerate"))
    assert pin_of(owner) != old_pin
    attempt = support_pin_verify(user=owner, pin=old_pin, agent=agent)
    assert not attempt.succeeded
    assert PinEvent.objects.filter(user=owner, kind=PinEvent.Kind.REGENERATED).exists()


def test_deactivate_removes_the_bar_and_refuses_verification(owner_client, owner, agent):
    from supportpin.services import support_pin_verify

    activate_pin(owner)
    pin = pin_of(owner)
    owner_client.post(reverse("supportpin:deactivate"))
    assert "data-pin-bar" not in owner_client.get(reverse("portal:dashboard")).text
    assert support_pin_verify(user=owner, pin=pin, agent=agent).result == "not_active"


def test_staff_get_404_on_the_customer_pages(agent_client):
    for name in ["mobile_services", "history", "current"]:
        assert agent_client.get(reverse(f"supportpin:{name}")).status_code == 404
    for name in ["activate", "deactivate", "regenerate", "send_sms"]:
        assert agent_client.post(reverse(f"supportpin:{name}")).status_code == 404


def test_customer_pages_require_login(client):
    for name in ["mobile_services", "history", "current"]:
        assert client.get(reverse(f"supportpin:{name}")).status_code == 302
    for name in ["activate", "deactivate", "regenerate", "send_sms"]:
        assert client.post(reverse(f"supportpin:{name}")).status_code == 302


@time_machine.travel(MORNING, tick=False)
def test_another_customer_never_sees_this_customers_pin_or_history(
    owner_client, other_client, owner, other_owner, agent
):
    from supportpin.services import (
        assisted_action_record,
        support_pin_activate,
        support_pin_verify,
    )

    activate_pin(owner)
    User.objects.filter(pk=other_owner.pk).update(
        mobile="+306955555555", mobile_verified_at=timezone.now()
    )
    other_owner.refresh_from_db()
    support_pin_activate(user=other_owner, acting_user=other_owner)
    support_pin_verify(user=owner, pin=pin_of(owner), agent=agent)
    assisted_action_record(user=owner, agent=agent, kind="dns_records", detail="MX for acme.gr")
    owners_pin, others_pin = format_pin(pin_of(owner)), format_pin(pin_of(other_owner))
    assert owners_pin != others_pin
    assert "MX for acme.gr" in owner_client.get(reverse("supportpin:history")).text
    dashboard = other_client.get(reverse("portal:dashboard")).text
    assert others_pin in dashboard
    assert owners_pin not in dashboard
    assert other_client.get(reverse("supportpin:current")).json()["pin"] == others_pin
    assert "MX for acme.gr" not in other_client.get(reverse("supportpin:history")).text


def test_the_mobile_services_page_showing_the_pin_is_never_cached(owner_client, owner):
    activate_pin(owner)
    response = owner_client.get(PAGE)
    assert format_pin(pin_of(owner)) in response.text
    assert "no-store" in response["Cache-Control"]


def test_send_form_returns_to_the_page_it_was_sent_from(owner_client, owner):
    activate_pin(owner)
    response = owner_client.post(
        reverse("supportpin:send_sms"), {"next": reverse("portal:dashboard")}
    )
    assert response["Location"] == reverse("portal:dashboard")
    response = owner_client.post(reverse("supportpin:send_sms"), {"next": "https://evil.example/"})
    assert response["Location"] == PAGE
