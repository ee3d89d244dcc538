"""The agent's ticket page reads its ticket, thread, history, SLA policies, canned replies
and the caller's last verification by statements prepared once (portal/prepared.py): the
same instances as the ORM's querysets, on PostgreSQL and SQLite."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import OuterRef
from django.urls import reverse
from django.utils import timezone

from portal.prepared import PreparedQuery
from supportpin.models import SupportPin, VerificationAttempt
from supportpin.selectors import last_verification, verified_now_subquery
from tests.factories import activate_pin, make_user
from tickets import selectors, services
from tickets.models import CannedReply, Ticket

pytestmark = pytest.mark.django_db


def loaded(instance) -> dict:
    """What an instance holds: its loaded fields, its annotations and its select_related
    rows."""
    values = {
        name: value
        for name, value in instance.__dict__.items()
        if not name.startswith("_") and not hasattr(value, "_meta")
    }
    for name, related in instance._state.fields_cache.items():
        values[name] = None if related is None else loaded(related)
    return values


def orms_ticket(pk, now):
    return (
        Ticket.objects.select_related("customer", "requester", "category", "assignee")
        .annotate(caller_verified_now=verified_now_subquery(OuterRef("requester"), now))
        .get(pk=pk)
    )


def test_the_agents_ticket_is_the_orms(open_ticket, owner, agent):
    assigned = open_ticket()
    services.ticket_assign(ticket=assigned, acting_user=agent, assignee=agent)
    plain = open_ticket()
    activate_pin(owner)
    now = timezone.now()
    for until in (now + timedelta(minutes=5), now - timedelta(minutes=5), None):
        SupportPin.objects.filter(user=owner).update(verified_until=until)
        for ticket in (assigned, plain):
            ours = selectors.agent_ticket(pk=ticket.pk, now=now)
            assert loaded(ours) == loaded(orms_ticket(ticket.pk, now))
            assert ours.caller_verified_now is (until is not None and until > now)
    assert ours.assignee is None and loaded(ours)["assignee"] is None


def test_no_ticket_for_an_id_that_is_no_tickets(open_ticket, agent_client):
    open_ticket()
    now = timezone.now()

    assert selectors.agent_ticket(pk=99999999, now=now) is None
    assert selectors.agent_ticket(pk=2**63, now=now) is None
    for pk in ("99999999", str(2**63), "-1", "abc"):
        response = agent_client.get(f"/admin/tickets/ticket/{pk}/change/")
        assert response.status_code == 302
        assert response.url == reverse("admin:index")


def test_the_thread_and_history_are_the_related_managers(open_ticket, agent, owner):
    ticket = open_ticket()
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="A note", internal=True)
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="An answer")
    services.ticket_status_change(ticket=ticket, acting_user=agent, status=Ticket.Status.OPEN)
    open_ticket()  # another's thread, never in this one

    for include_internal in (True, False):
        ours = selectors.ticket_thread(ticket=ticket, include_internal=include_internal)
        messages = ticket.messages.select_related("author")
        if not include_internal:
            messages = messages.filter(is_internal=False)
        assert [loaded(m) | {"has_attachments": False} for m in messages] == [
            loaded(m) for m in ours
        ]
        assert all(message.ticket is ticket for message in ours)
        assert len(ours) == (3 if include_internal else 2)
    history = selectors.ticket_history(ticket=ticket)
    assert [loaded(event) for event in history] == [
        loaded(event) for event in ticket.events.select_related("actor")
    ]
    assert history and all(event.ticket is ticket for event in history)


def test_the_last_verification_is_the_orms_first(owner, agent):
    other_agent = make_user("otto.agent", is_staff=True)
    assert last_verification(owner) is None
    same_moment = datetime(2026, 5, 4, 10, tzinfo=UTC)
    for who, result, when in [
        (agent, VerificationAttempt.Result.VERIFIED, same_moment),
        (other_agent, VerificationAttempt.Result.VERIFIED, same_moment),
        (agent, VerificationAttempt.Result.WRONG_PIN, same_moment + timedelta(hours=1)),
    ]:
        attempt = VerificationAttempt.objects.create(user=owner, agent=who, result=result)
        VerificationAttempt.objects.filter(pk=attempt.pk).update(created_at=when)

    ours = last_verification(owner)
    expected = (
        VerificationAttempt.objects.filter(user=owner, result=VerificationAttempt.Result.VERIFIED)
        .select_related("agent")
        .order_by("-created_at", "-id")
        .first()
    )
    assert loaded(ours) == loaded(expected)
    assert ours.agent == other_agent


def test_the_canned_replies_are_the_active_ones_in_order(db):
    CannedReply.objects.create(title="Zeta", body_en="z", is_active=True)
    CannedReply.objects.create(title="Alpha", body_en="a", is_active=True)
    CannedReply.objects.create(title="Old", body_en="o", is_active=False)

    assert [loaded(reply) for reply in selectors.canned_replies()] == [
        loaded(reply) for reply in CannedReply.objects.filter(is_active=True)
    ]


def test_a_moment_reaches_the_statement_as_the_orm_passes_it(open_ticket):
    tickets = [open_ticket() for _ in range(3)]
    moments = sorted(Ticket.objects.values_list("created_at", flat=True))
    prepared = PreparedQuery(
        lambda shape, since: Ticket.objects.filter(created_at__gte=since).order_by("id")
    )

    for since in (moments[0], moments[1], moments[2] + timedelta(microseconds=1)):
        assert [t.pk for t in prepared.fetch(since=since)] == [
            t.pk for t in Ticket.objects.filter(created_at__gte=since).order_by("id")
        ]
    assert [t.pk for t in prepared.fetch(since=moments[0])] == [t.pk for t in tickets]
    with pytest.raises(TypeError):
        prepared.fetch(since=moments[0].replace(tzinfo=None))


def test_the_business_calendar_is_the_exceptions_read_by_the_orm(db):
    from datetime import date

    from tickets.models import CalendarException

    CalendarException.objects.create(day=date(2026, 12, 24), is_open=False, reason="Eve")
    CalendarException.objects.create(day=date(2026, 12, 27), is_open=True, reason="Sunday")
    CalendarException.objects.create(day=date(2027, 1, 1), is_open=False, reason="New year")

    business = selectors.business_calendar()

    rows = CalendarException.objects.values_list("day", "is_open")
    assert business.closed_days == {day for day, is_open in rows if not is_open}
    assert business.open_days == {date(2026, 12, 27)}


def test_the_category_select_offers_every_category_in_order_read_afresh(agent_client, open_ticket):
    from tickets.models import Category

    ticket = open_ticket()
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    field = agent_client.get(url).context["adminform"].form.fields["category"]
    assert isinstance(field.listed, selectors.EveryCategory)

    def offered(field) -> list:
        return [(str(value), label) for value, label in field.choices if value != ""]

    assert offered(field) == [(str(c.pk), str(c)) for c in field.queryset.all()]
    Category.objects.create(name="Aaa first", position=0)
    field = agent_client.get(url).context["adminform"].form.fields["category"]
    assert offered(field)[0][1] == "Aaa first"
    assert offered(field) == [(str(c.pk), str(c)) for c in Category.objects.all()]
