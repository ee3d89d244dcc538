"""The customer's hot reads by statements prepared once (portal/prepared.py): the same
instances, pages and counts as the ORM's querysets, for every shape of the list; and a
statement a value does not reach unchanged is refused, never run without it."""

import pytest
from django.db.models import Q

from portal.paging import page_of
from portal.prepared import PreparedQuery
from tests.factories import make_user
from tickets import selectors
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db


def loaded(instance) -> dict:
    """What an instance holds: its loaded fields and those of its select_related rows."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname in instance.__dict__
    }
    for name, related in instance._state.fields_cache.items():
        values[name] = None if related is None else loaded(related)
    return values


def page_rows(page) -> list[dict]:
    return [loaded(ticket) | {"closed_rank": ticket.closed_rank} for ticket in page]


@pytest.fixture
def tickets(owner, member, other_owner, open_ticket, category):
    made = [open_ticket(subject=f"Issue {index:02d}") for index in range(7)]
    made += [open_ticket(requester=member, subject=f"Member's {index}") for index in range(4)]
    Ticket.objects.filter(pk__in=[made[1].pk, made[8].pk]).update(status=Ticket.Status.CLOSED)
    Ticket.objects.filter(pk=made[2].pk).update(status=Ticket.Status.WAITING)
    # Another customer's, never in these lists.
    open_ticket(requester=other_owner, subject="Not yours")
    return made


@pytest.mark.parametrize("status", ["", "active", "closed", "waiting", "new", "nonsense"])
@pytest.mark.parametrize("number", ["1", "2", "3", "9", "x", "-1", "99999999999999999999"])
@pytest.mark.parametrize("who", ["owner", "member"])
def test_a_page_of_my_requests_is_the_orms_page(tickets, status, number, who, request):
    user = request.getfixturevalue(who)

    page = selectors.customer_ticket_list_page(user=user, status=status, number=number, per_page=3)

    expected = page_of(selectors.customer_ticket_list(user=user, status=status), number, 3)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count
    assert page_rows(page) == page_rows(expected)
    assert {ticket.customer_id for ticket in page} <= {user.customer_id}
    if who == "member":
        assert {ticket.requester_id for ticket in page} <= {user.pk}


def test_the_prepared_page_takes_one_query(tickets, owner, django_assert_num_queries):
    selectors.customer_ticket_list_page(user=owner, number="1", per_page=3)  # prepared

    with django_assert_num_queries(1):
        page = selectors.customer_ticket_list_page(user=owner, number="2", per_page=3)
        [(ticket.category.name, ticket.requester.get_full_name()) for ticket in page]


def test_a_search_is_read_by_the_orm_as_before(tickets, owner):
    page = selectors.customer_ticket_list_page(
        user=owner, search="issue 0", number="1", per_page=25
    )

    assert sorted(ticket.subject for ticket in page) == [f"Issue {i:02d}" for i in range(7)]


def test_a_login_of_no_customer_sees_no_request(tickets, db):
    stranger = make_user("no.customer")

    page = selectors.customer_ticket_list_page(user=stranger, number="1", per_page=25)

    assert list(page) == [] and page.paginator.count == 0


def test_a_new_ticket_shows_at_once(tickets, owner, open_ticket):
    selectors.customer_ticket_list_page(user=owner, number="1", per_page=25)
    open_ticket(subject="Just now", priority=Priority.URGENT)

    page = selectors.customer_ticket_list_page(user=owner, number="1", per_page=25)

    assert page[0].subject == "Just now"
    assert page.paginator.count == 12


def test_a_value_the_orm_changes_before_the_statement_is_refused(owner):
    # icontains turns the value into a LIKE pattern: the stand-in is not found.
    prepared = PreparedQuery(lambda shape, word: Ticket.objects.filter(Q(subject__icontains=word)))

    with pytest.raises(ValueError, match="not found"):
        prepared.fetch(word="mail")


def test_a_value_the_queryset_leaves_out_is_refused(owner):
    prepared = PreparedQuery(lambda shape, customer_id: Ticket.objects.all())

    with pytest.raises(ValueError, match="not found"):
        prepared.fetch(customer_id=owner.customer_id)


def test_a_shape_asked_with_other_values_is_refused(owner):
    prepared = PreparedQuery(lambda shape, **values: Ticket.objects.filter(**values))
    prepared.fetch(customer_id=owner.customer_id)

    with pytest.raises(ValueError, match="takes"):
        prepared.fetch(customer_id=owner.customer_id, requester_id=owner.pk)


def test_only_numbers_and_text_are_taken(owner):
    prepared = PreparedQuery(lambda shape, requester: Ticket.objects.filter(requester=requester))

    with pytest.raises(TypeError):
        prepared.fetch(requester=owner)


# The request page's reads.


def test_the_request_page_reads_the_ticket_the_orm_read(tickets, owner):
    for ticket in tickets:
        read = selectors.customer_ticket_on_page(user=owner, reference=ticket.reference)

        expected = selectors.customer_ticket_page(user=owner).get(reference=ticket.reference)
        assert loaded(read) == loaded(expected)
        assert read.get_deferred_fields() == expected.get_deferred_fields()


def test_the_request_page_finds_no_ticket_the_login_may_not_see(tickets, member, other_owner):
    owners_ticket, members_ticket = tickets[0], tickets[7]

    assert selectors.customer_ticket_on_page(user=member, reference=owners_ticket.reference) is None
    assert selectors.customer_ticket_on_page(user=member, reference=members_ticket.reference)
    for ticket in (owners_ticket, members_ticket):
        assert (
            selectors.customer_ticket_on_page(user=other_owner, reference=ticket.reference) is None
        )
    assert selectors.customer_ticket_on_page(user=member, reference="T-00-000000") is None
    assert (
        selectors.customer_ticket_on_page(
            user=make_user("no.customer"), reference=owners_ticket.reference
        )
        is None
    )


@pytest.mark.parametrize("include_internal", [True, False])
def test_the_thread_is_the_orms(tickets, owner, agent, include_internal, django_assert_num_queries):
    from tickets import services

    ticket = tickets[0]
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="We are looking.")
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Note", internal=True)
    services.ticket_reply_as_customer(ticket=ticket, author=owner, body="Thanks")

    with django_assert_num_queries(1):
        thread = selectors.ticket_thread(ticket=ticket, include_internal=include_internal)
        assert all(message.ticket is ticket for message in thread)
        assert [list(message.attachments.all()) for message in thread] == [[]] * len(thread)

    expected = ticket.messages.select_related("author")
    if not include_internal:
        expected = expected.exclude(is_internal=True)
    assert [loaded(message) for message in thread] == [loaded(message) for message in expected]
    assert ("Note" in [message.body for message in thread]) is include_internal


def test_the_promise_is_the_channels_policy_else_the_portals(owner):
    from tickets.models import Channel, SlaPolicy

    plan = owner.customer.plan
    SlaPolicy.objects.filter(plan=plan, priority=Priority.HIGH).delete()
    portal = SlaPolicy.objects.create(plan=plan, priority=Priority.HIGH, response_hours=4)

    assert selectors.sla_policy_for(plan=plan, priority=Priority.HIGH) == portal
    assert (
        selectors.sla_policy_for(plan=plan, priority=Priority.HIGH, channel=Channel.EMAIL) == portal
    )

    email = SlaPolicy.objects.create(
        plan=plan, priority=Priority.HIGH, channel=Channel.EMAIL, response_hours=8
    )
    assert selectors.sla_policy_for(plan=str(plan), priority=3, channel="email") == email
    assert selectors.sla_policy_for(plan=plan, priority=Priority.HIGH) == portal

    SlaPolicy.objects.filter(pk__in=[portal.pk, email.pk]).delete()
    fallback = selectors.sla_policy_for(plan=plan, priority=Priority.HIGH)
    assert fallback.pk is None and fallback.response_hours == 24


# The dashboard's open requests.


@pytest.mark.parametrize("who", ["owner", "member"])
def test_the_dashboards_open_requests_are_the_five_latest_the_login_sees(tickets, who, request):
    user = request.getfixturevalue(who)

    shown = selectors.customer_open_tickets(user=user, limit=5)

    expected = list(
        selectors.tickets_visible_to(user)
        .filter(status__in=Ticket.ACTIVE_STATUSES)
        .order_by("-updated_at", "-id")[:5]
    )
    assert [ticket.pk for ticket in shown] == [ticket.pk for ticket in expected]
    assert [(t.reference, t.subject, t.status) for t in shown] == [
        (t.reference, t.subject, t.status) for t in expected
    ]
    assert len(shown) == (5 if who == "owner" else 3)


def test_the_dashboard_shows_the_company_and_open_requests_in_few_queries(
    tickets, owner, owner_client, django_assert_max_num_queries
):
    from django.urls import reverse

    owner_client.get(reverse("portal:dashboard"))
    # The session, the login, its signed-in session's row, the company, the requests.
    with django_assert_max_num_queries(5):
        page = owner_client.get(reverse("portal:dashboard")).text

    assert owner.customer.name in page and "C-1001" in page
    # The latest five open: 10, 9, 7, 6, 5 (8 is closed).
    for index in (10, 9, 7, 6, 5):
        assert tickets[index].reference in page
    assert tickets[8].reference not in page and tickets[4].reference not in page
    assert "Not yours" not in page


def test_the_request_page_reads_the_promise_with_the_ticket(tickets, owner, owner_client):
    from django.urls import reverse

    from tickets.models import Channel, SlaPolicy

    ticket = tickets[0]
    plan = owner.customer.plan
    SlaPolicy.objects.filter(plan=plan, priority=ticket.priority).delete()
    SlaPolicy.objects.create(
        plan=plan, priority=ticket.priority, channel=Channel.EMAIL, response_hours=2
    )
    url = reverse("tickets:detail", args=[ticket.reference])

    def promise():
        read = selectors.customer_ticket_on_page(user=owner, reference=ticket.reference)
        shown = selectors.customer_ticket_promise(read)
        expected = selectors.sla_policy_for(plan=plan, priority=ticket.priority)
        assert (shown.response_hours, shown.calendar) == (
            expected.response_hours,
            expected.calendar,
        )
        return owner_client.get(url).text

    # No portal policy (the email one is not the page's): the plainest promise.
    assert "within 24 h of business hours" in promise()
    SlaPolicy.objects.create(
        plan=plan,
        priority=ticket.priority,
        response_hours="1.50",
        calendar=SlaPolicy.CalendarKind.AROUND_THE_CLOCK,
    )
    assert "within 1.50 h, around the clock" in promise()
