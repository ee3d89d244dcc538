import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import make_customer, make_user, png_bytes, upload
from tickets import services
from tickets.admin import format_time_left
from tickets.models import Category, SlaPolicy, Ticket, TicketEvent
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:tickets_ticket_changelist")


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=ATHENS), tick=False)


def queue_refs(client, **params):
    return [t.reference for t in client.get(QUEUE, params).context["cl"].result_list]


def test_the_queue_puts_overdue_first_then_the_soonest_due_then_priority(
    agent_client, open_ticket, agent
):
    with at(2025, 9, 1, 9):
        overdue = open_ticket(subject="overdue", priority=5)  # due 13:00
        answered = open_ticket(subject="answered")
        services.ticket_reply_as_agent(ticket=answered, agent=agent, body="done")
    with at(2025, 9, 1, 14):
        low = open_ticket(subject="low", priority=1)  # premium low: 24 business hours
        normal = open_ticket(subject="normal", priority=2)  # same due, higher priority
        critical = open_ticket(subject="critical", priority=5)  # due 18:00
        refs = queue_refs(agent_client)
    assert refs == [
        overdue.reference,
        critical.reference,
        normal.reference,
        low.reference,
        answered.reference,
    ]


def test_the_queue_shows_customer_plan_assignee_and_time_left_in_red_when_overdue(
    agent_client, open_ticket
):
    with at(2025, 9, 1, 9):
        overdue = open_ticket(priority=5)
    with at(2025, 9, 1, 14):
        open_ticket(priority=5)
        page = agent_client.get(QUEUE).text
    assert overdue.customer.name in page
    assert "Premium" in page
    assert (
        '<span class="sla-overdue"><span aria-hidden="true">⚠ </span>overdue 1 h 0 m</span>' in page
    )
    assert '<span class="sla-left">due in 4 h 0 m</span>' in page


def test_under_an_hour_left_is_amber_with_its_own_symbol_and_days_late_read_overdue_n_d(
    agent_client, open_ticket
):
    with at(2025, 9, 1, 9):
        soon = open_ticket(priority=5)  # Premium Critical: due 13:00
        late = open_ticket(priority=1)  # Premium Low: 24 business hours, due Thursday 09:00
    with at(2025, 9, 1, 12, 15):
        page = agent_client.get(QUEUE).text
    assert '<span class="sla-soon"><span aria-hidden="true">◔ </span>due in 45 m</span>' in page
    with at(2025, 9, 9, 9):  # five business days after the due time
        page = agent_client.get(QUEUE).text
    assert re.search(r'<span class="sla-overdue">.*overdue \d d \d+ h</span>', page)
    assert soon.reference in page and late.reference in page


def test_time_left_reads_due_in_or_overdue_in_days_hours_and_minutes():
    assert format_time_left(timedelta(hours=2, minutes=10)) == "due in 2 h 10 m"
    assert format_time_left(-timedelta(days=3)) == "overdue 3 d"
    assert format_time_left(-timedelta(days=1, hours=4, minutes=30)) == "overdue 1 d 4 h"
    assert format_time_left(timedelta(minutes=7)) == "due in 7 m"


def test_the_time_left_is_the_second_column_and_the_subject_one_line_with_the_whole_on_hover(
    agent_client, open_ticket
):
    subject = "A long subject " * 10
    open_ticket(subject=subject.strip())
    response = agent_client.get(QUEUE)
    columns = [field for field in response.context["cl"].list_display if field != "action_checkbox"]
    assert columns[:3] == ["reference", "time_left_display", "subject_line"]
    assert f'<span class="one-line" title="{subject.strip()}">' in response.text


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize("params", [{}, {"view": "open", "o": "-3.2"}])
def test_the_queue_rows_are_cell_for_cell_the_admins_own(
    agent_client, agent, open_ticket, language, params
):
    """The queue builds its rows itself, for speed; they are the HTML the admin's
    items_for_result would write, for every kind of column and with the filters kept."""
    from django.contrib.admin.templatetags.admin_list import items_for_result

    with at(2025, 9, 1, 9):
        overdue = open_ticket(subject='<b>"Fish" & chips</b>', priority=5)
        services.ticket_assign(ticket=overdue, acting_user=agent, assignee=agent)
        open_ticket(subject="   ")
        answered = open_ticket(subject="answered")
        services.ticket_reply_as_agent(ticket=answered, agent=agent, body="done")
    with at(2025, 9, 1, 12, 30):
        agent_client.cookies["django_language"] = language
        cl = agent_client.get(QUEUE, params).context["cl"]
        assert len(cl.result_list) == 3
        with translation.override(language):
            assert cl.rows() == [
                list(items_for_result(cl, ticket, None)) for ticket in cl.result_list
            ]


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize("params", [{}, {"view": "open", "o": "-3.2"}, {"o": "5"}])
def test_the_queue_table_is_the_admins_result_list_byte_for_byte(
    agent_client, agent, open_ticket, language, params
):
    """The queue writes its table (headers with their sort links, then the rows) itself;
    it is what the admin's {% result_list %} renders with the admin's own rows."""
    from django.contrib.admin.templatetags.admin_list import result_list
    from django.template.loader import render_to_string

    from tickets.templatetags.ticket_queue import queue_result_list

    with at(2025, 9, 1, 9):
        overdue = open_ticket(subject='<b>"Fish" & chips</b>', priority=5)
        services.ticket_assign(ticket=overdue, acting_user=agent, assignee=agent)
        open_ticket(subject="   ")
    with at(2025, 9, 1, 12, 30):
        agent_client.cookies["django_language"] = language
        response = agent_client.get(QUEUE, params)
        cl = response.context["cl"]
        with translation.override(language):
            admins = render_to_string("admin/change_list_results.html", result_list(cl))
            ours = queue_result_list(cl)
    assert ours == admins
    assert ours in response.text
    # Sorted by two columns (the default sorts by the time left, then the priority), the
    # headers number them; by one, not.
    assert ("sortpriority" in ours) == (params.get("o") != "5")


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize(
    "params",
    [{}, {"view": "open", "priority__exact": "5", "q": "<b>&"}, {"assigned": "me", "_facets": "1"}],
)
def test_the_queue_filters_are_the_admins_byte_for_byte(
    agent_client, agent, open_ticket, language, params
):
    """The queue writes its filters' HTML itself; each is what the admin's
    {% admin_list_filter %} renders with admin/filter.html, and the page shows them."""
    from django.contrib.admin.templatetags.admin_list import admin_list_filter

    from tickets.templatetags.ticket_queue import queue_list_filter

    Category.objects.create(name='Fish & "chips" <b>', position=99)
    ticket = open_ticket(priority=5)
    services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    agent_client.cookies["django_language"] = language
    response = agent_client.get(QUEUE, params)
    cl = response.context["cl"]
    assert len(cl.filter_specs) == 7
    with translation.override(language):
        for spec in cl.filter_specs:
            ours = queue_list_filter(cl, spec)
            assert ours == admin_list_filter(cl, spec)
            assert ours in response.text
    if params:
        assert ' class="selected">\n    <a href="?' in response.text
        assert "Clear all filters" in response.text or language == "el"


def test_the_queue_counts_up_to_its_cap_whatever_the_order(agent_client, open_ticket, monkeypatch):
    from tickets.admin import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    for _ in range(4):
        open_ticket()
    response = agent_client.get(QUEUE, {"o": "-5"})
    assert response.context["cl"].result_count == 3
    assert response.context["cl"].paginator.count == 3
    assert agent_client.get(QUEUE, {"view": "open"}).context["cl"].result_count == 3
    assert agent_client.get(QUEUE, {"view": "waiting"}).context["cl"].result_count == 0


def test_the_queues_lookups_in_one_query_are_what_the_orm_reads(agent, django_assert_num_queries):
    """Policies, calendar, categories and staff, read for the queue in one query, are
    what the ORM's own reads give (and what the filter and the action bar showed)."""
    from datetime import date

    from tickets import selectors
    from tickets.admin import QueueActionForm
    from tickets.models import CalendarException

    make_user("bob.agent", is_staff=True, full_name="Bob Agent")
    make_user("nameless.agent", is_staff=True, full_name="")
    make_user("gone.agent", is_staff=True, is_active=False, full_name="Gone Agent")
    make_user("erased.agent", is_staff=True, full_name="Erased", erased_at=timezone.now())
    Category.objects.create(name="Aardvark <&>", position=0)
    CalendarException.objects.create(day=date(2025, 12, 24), is_open=False)
    CalendarException.objects.create(day=date(2025, 12, 27), is_open=True)
    SlaPolicy.objects.filter(plan="basic", priority=1).update(
        calendar=SlaPolicy.CalendarKind.AROUND_THE_CLOCK
    )
    with django_assert_num_queries(1):
        lookups = selectors.QueueLookups.read()
    assert lookups.policies == {
        (plan, priority, channel): calendar
        for plan, priority, channel, calendar in SlaPolicy.objects.values_list(
            "plan", "priority", "channel", "calendar"
        )
    }
    assert SlaPolicy.CalendarKind.AROUND_THE_CLOCK in lookups.policies.values()
    business = selectors.business_calendar()
    assert (lookups.business.closed_days, lookups.business.open_days) == (
        business.closed_days,
        business.open_days,
    )
    assert lookups.business.closed_days == {date(2025, 12, 24)}
    category = Ticket._meta.get_field("category")
    assert [(c.pk, str(c)) for c in lookups.categories] == category.get_choices(include_blank=False)
    for language in ("en", "el"):
        with translation.override(language):
            form = QueueActionForm()
            expected = list(form.fields["assign_to"].choices)
            form.fields["assign_to"].listed = lookups.staff
            assert [(str(v), label) for v, label in form.fields["assign_to"].choices] == [
                (str(v), label) for v, label in expected
            ]
    # Anna, Bob, the nameless one and the erased one ("Former member"); not the inactive.
    assert len(lookups.staff) == 4
    assert "Former member" in [str(user) for user in lookups.staff]


def test_a_new_category_or_staff_member_shows_in_the_queue_at_once(agent_client):
    agent_client.get(QUEUE)
    Category.objects.create(name="Brand new category", position=0)
    make_user("new.agent", is_staff=True, full_name="Newest Agent")
    page = agent_client.get(QUEUE).text
    assert "Brand new category" in page
    assert "Newest Agent" in page


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize("many", [False, True])
def test_the_queue_action_bar_is_the_admins_byte_for_byte(
    agent_client, open_ticket, monkeypatch, language, many
):
    """The queue writes its action bar itself; it is what {% admin_actions %} renders
    (admin/actions.html), with "select all" when there are more tickets than shown, and
    numbered as the admin numbers a second bar."""
    from django.template import Context, Template

    from tickets.admin import TicketAdmin

    make_user("bob.agent", is_staff=True, full_name='Bob "<b>" & Co')
    for _ in range(3):
        open_ticket()
    if many:
        monkeypatch.setattr(TicketAdmin, "list_per_page", 2)
    agent_client.cookies["django_language"] = language
    response = agent_client.get(QUEUE)
    # The page's context, before its bar numbered itself in it.
    page = {name: value for name, value in response.context_data.items() if name != "action_index"}
    with translation.override(language):
        ours, admins = (
            Template("{% load " + library + " %}{% " + tag + " %}|{% " + tag + " %}").render(
                Context(dict(page))
            )
            for library, tag in (("ticket_queue", "queue_actions"), ("admin_list", "admin_actions"))
        )
    assert ours == admins
    assert ours.split("|")[0] in response.text
    assert ('value="1"' in ours) and (("Select all 3" in ours) == (many and language == "en"))


@pytest.mark.parametrize("language", ["en", "el"])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"view": "open", "o": "-3.2", "category__id__exact": "the tickets' category"},
        {"assigned": "me", "_facets": "1", "q": "chips</b>", "p": "2"},
        {"_facets": "1"},
        {"q": "nothing at all"},
        {"_popup": "1", "q": "chips", "_facets": "1"},
    ],
)
def test_the_queue_page_is_the_admins_change_list_byte_for_byte(
    agent_client, agent, open_ticket, category, monkeypatch, language, params
):
    """The queue's template writes its table, action bar and filters with its own tags;
    the page is what the admin's own admin/change_list.html renders from the same context
    (but for each form's CSRF token, which differs at every rendering)."""
    from django.template.loader import render_to_string

    from tickets.admin import TicketAdmin

    monkeypatch.setattr(TicketAdmin, "list_per_page", 2)
    if "category__id__exact" in params:
        params = {**params, "category__id__exact": category.pk}
    make_user("bob.agent", is_staff=True, full_name='Bob "<b>" & Co')
    with at(2025, 9, 1, 9):
        for index in range(5):
            ticket = open_ticket(subject=f'<b>"Fish" & chips</b> {index}', priority=index + 1)
            if index % 2:
                services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    with at(2025, 9, 1, 12, 30):
        agent_client.cookies["django_language"] = language
        response = agent_client.get(QUEUE, params)
        page = {k: v for k, v in response.context_data.items() if k != "action_index"}
        with translation.override(language):
            admins = render_to_string("admin/change_list.html", page, request=response.wsgi_request)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", response.text) == token.sub("", admins)
    assert 'id="result_list"' in admins or params.get("q") == "nothing at all"


def test_the_queues_media_are_the_admins_written_once_a_process():
    from django import forms
    from django.contrib import admin

    from tickets.admin import QueueActionForm, QueueMedia

    media = admin.site._registry[Ticket].media + QueueActionForm().media
    for _ in range(2):  # written, then read from what was written
        queue_media = QueueMedia.of(media)
        assert (queue_media["css"], queue_media["js"]) == (str(media["css"]), str(media["js"]))
        assert "tickets" in queue_media["css"] and "actions" in queue_media["js"]
    other = forms.Media(js=["other.js"], css={"print": ["print.css"]})
    assert QueueMedia.of(other)["js"] == str(other["js"]) != QueueMedia.of(media)["js"]
    assert QueueMedia.of(other)["css"] == str(other["css"])
    scripted = forms.Media(js=[forms.Script("module.js", type="module")])
    assert str(QueueMedia.of(scripted)["js"]) == str(scripted["js"])


def test_the_action_bars_plain_select_writes_what_djangos_select_writes():
    from django import forms

    from tickets.forms import PlainSelect

    choices = [("", "---"), ("a&b", '"Quoted" <label>'), ("Group", [(1, "one"), (2, "two")])]
    for value in ("", "a&b", 2, None):
        attrs = {"id": "x", "required": True, "disabled": False, "data-x": "<&>"}
        assert PlainSelect(choices=choices).render("pick", value, attrs) == forms.Select(
            choices=choices
        ).render("pick", value, attrs)


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_action_bars_selects_are_djangos_selects_with_the_staff_and_a_choice(agent, language):
    from django import forms

    from tickets.admin import QueueActionForm

    make_user("bob.agent", is_staff=True, full_name='Bob "the <b>" & Co')
    with translation.override(language):
        for data in (None, {"action": "assign_to", "assign_to": agent.pk, "new_priority": "3"}):
            form = QueueActionForm(data)
            form.fields["action"].choices = [("", "---------"), ("assign_to", "Assign")]
            for name in ("action", "assign_to", "new_priority"):
                plain = str(form[name])
                form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
                assert plain == str(form[name])
                assert "<option" in plain


def test_the_saved_views_are_the_first_filters(agent_client, agent, open_ticket, owner):
    with at(2025, 9, 1, 9):
        late = open_ticket(subject="late", priority=5)  # due 13:00
    with at(2025, 9, 1, 14):
        mine = open_ticket(subject="mine")
        services.ticket_assign(ticket=mine, acting_user=agent, assignee=agent)
        soon = open_ticket(subject="soon", priority=5)  # due 18:00, four hours away
        later = open_ticket(subject="later", priority=4)  # Premium Urgent: 8 h, tomorrow
        waiting = open_ticket(subject="waiting")
        services.ticket_reply_as_agent(ticket=waiting, agent=agent, body="Which browser?")
        done = open_ticket(subject="done")
        services.ticket_status_change(ticket=done, acting_user=agent, status="resolved")
        response = agent_client.get(QUEUE)
        first_filter = response.context["cl"].filter_specs[0]
        assert [title for _, title in first_filter.lookup_choices] == [
            "Mine",
            "Unassigned",
            "Overdue",
            "Due within 4 h",
            "Waiting on customer",
            "All open",
        ]
        assert queue_refs(agent_client, view="mine") == [mine.reference]
        assert mine.reference not in queue_refs(agent_client, view="unassigned")
        assert late.reference in queue_refs(agent_client, view="unassigned")
        assert queue_refs(agent_client, view="overdue") == [late.reference]
        assert queue_refs(agent_client, view="due4h") == [soon.reference]
        assert later.reference not in queue_refs(agent_client, view="due4h")
        assert queue_refs(agent_client, view="waiting") == [waiting.reference]
        assert done.reference not in queue_refs(agent_client, view="open")
        assert set(queue_refs(agent_client, view="open")) == {
            late.reference,
            mine.reference,
            soon.reference,
            later.reference,
            waiting.reference,
        }


def test_due_within_4_h_counts_business_hours_over_the_weekend(agent_client, open_ticket):
    with at(2025, 9, 5, 17):  # Friday; Premium Critical: 4 business hours, due Monday 12:00
        friday = open_ticket(priority=5)
        assert queue_refs(agent_client, view="due4h") == [friday.reference]


def test_bulk_assign_to_a_staff_member_and_set_priority_record_events(
    agent_client, agent, open_ticket
):
    colleague = make_user("bob.agent", is_staff=True, full_name="Bob Agent")
    first, second = open_ticket(), open_ticket()
    ids = [first.pk, second.pk]
    response = agent_client.post(
        QUEUE, {"action": "assign_to", "assign_to": colleague.pk, "_selected_action": ids}
    )
    assert response.status_code == 302
    agent_client.post(QUEUE, {"action": "set_priority", "new_priority": 4, "_selected_action": ids})
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert (ticket.assignee, ticket.priority) == (colleague, 4)
        assert {
            TicketEvent.Kind.ASSIGNEE_CHANGED,
            TicketEvent.Kind.PRIORITY_CHANGED,
        } <= set(ticket.events.filter(actor=agent).values_list("kind", flat=True))


def test_bulk_assign_without_a_staff_member_changes_nothing_and_says_why(agent_client, open_ticket):
    ticket = open_ticket()
    response = agent_client.post(
        QUEUE, {"action": "assign_to", "_selected_action": [ticket.pk]}, follow=True
    )
    assert "Choose a staff member first." in response.text
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_time_left_counts_business_hours_only(agent_client, open_ticket):
    with at(2025, 9, 5, 17):  # Friday, Premium Normal: 24 business hours
        open_ticket()
        page = agent_client.get(QUEUE).text
    assert '<span class="sla-left">due in 1 d</span>' in page


def test_the_queue_filters(agent_client, agent, open_ticket, owner):
    business = make_customer("Big Corp", plan="business")
    boss = make_user("boss", customer=business, role="owner", email="boss@bigcorp.example")
    with at(2025, 9, 1, 9):
        late = open_ticket(subject="late", priority=5)
    with at(2025, 9, 1, 14):
        mine = open_ticket(subject="mine")
        services.ticket_assign(ticket=mine, acting_user=agent, assignee=agent)
        big = open_ticket(requester=boss, subject="big")
        billing = Category.objects.get(name="Billing")
        billed = services.ticket_create(
            requester=owner, subject="bill", description="d", category=billing, priority=1
        )
        services.ticket_status_change(ticket=billed, acting_user=agent, status="resolved")
        assert queue_refs(agent_client, assigned="me") == [mine.reference]
        assert big.reference not in queue_refs(agent_client, customer__plan__exact="premium")
        assert queue_refs(agent_client, customer__plan__exact="business") == [big.reference]
        assert queue_refs(agent_client, sla="overdue") == [late.reference]
        assert queue_refs(agent_client, status__exact="resolved") == [billed.reference]
        assert queue_refs(agent_client, priority__exact="5") == [late.reference]
        assert queue_refs(agent_client, category__id__exact=billing.pk) == [billed.reference]
        assert mine.reference not in queue_refs(agent_client, assigned="nobody")


@pytest.mark.parametrize("field", ["reference", "subject", "customer", "email"])
def test_the_queue_searches_reference_subject_customer_and_email(
    agent_client, open_ticket, owner, other_owner, field
):
    wanted = open_ticket(subject="Zebra DNS failure")
    other = open_ticket(requester=other_owner, subject="Printer")
    term = {
        "reference": wanted.reference,
        "subject": "zebra",
        "customer": owner.customer.name,
        "email": owner.email,
    }[field]
    refs = queue_refs(agent_client, q=term)
    assert wanted.reference in refs
    assert other.reference not in refs


def test_assign_to_me_and_change_status_actions_record_events(agent_client, agent, open_ticket):
    first, second = open_ticket(), open_ticket()
    ids = [first.pk, second.pk]
    agent_client.post(QUEUE, {"action": "assign_to_me", "_selected_action": ids})
    agent_client.post(QUEUE, {"action": "mark_resolved", "_selected_action": ids})
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert (ticket.assignee, ticket.status) == (agent, Ticket.Status.RESOLVED)
        # Resolving ends the wait, so the answer's timeliness is recorded too.
        assert set(ticket.events.filter(actor=agent).values_list("kind", flat=True)) == {
            TicketEvent.Kind.ASSIGNEE_CHANGED,
            TicketEvent.Kind.STATUS_CHANGED,
            TicketEvent.Kind.SLA_MET,
        }


def test_the_queue_takes_the_same_queries_for_many_tickets(
    agent_client, open_ticket, other_owner, agent, django_assert_max_num_queries
):
    open_ticket()
    # The session and the login, the second factor, the signed-in session, the content
    # types (the first request only), the lookups, the count and the tickets.
    with django_assert_max_num_queries(9) as few:
        agent_client.get(QUEUE)
    for index in range(20):
        ticket = open_ticket(requester=other_owner if index % 2 else None, priority=index % 5 + 1)
        if index % 3 == 0:
            services.ticket_assign(ticket=ticket, acting_user=agent, assignee=agent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(QUEUE)


def test_the_ticket_page_shows_the_thread_with_internal_notes_marked_plan_sla_and_history(
    agent_client, agent, open_ticket
):
    ticket = open_ticket(priority=5)
    services.ticket_reply_as_agent(
        ticket=ticket, agent=agent, body="Checking the logs", internal=True
    )
    page = agent_client.get(change_url(ticket)).text
    assert "Since this morning every message bounces." in page
    assert "Checking the logs" in page
    assert "internal-note" in page and "Internal note" in page
    assert 'data-testid="ticket-plan">Premium<' in page
    assert "Answer due" in page
    assert "History" in page and "Internal note added" in page


def test_the_agents_reply_is_emailed_to_the_customer_and_a_note_is_not(
    agent_client, open_ticket, owner, mailoutbox
):
    ticket = open_ticket()
    mailoutbox.clear()
    reply = reverse("admin:tickets_ticket_reply", args=[ticket.pk])
    agent_client.post(reply, {"body": "Note for colleagues", "internal": "on"})
    assert mailoutbox == []
    response = agent_client.post(
        reply,
        {
            "body": "Please try again now.",
            "status": "resolved",
            "attachments": [upload("fix.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert "Please try again now." in mail.body
    assert "fix.png" in mail.body
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.messages.filter(is_internal=True).count() == 1


def test_an_empty_agent_reply_comes_back_with_the_error_and_the_kept_file(
    agent_client, open_ticket
):
    ticket = open_ticket()
    response = agent_client.post(
        reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
        {"body": "", "attachments": [upload("fix.png", png_bytes())]},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "fix.png" in response.text and "Files already received" in response.text
    assert ticket.messages.count() == 1


def test_after_a_reply_with_errors_the_tickets_own_form_still_saves_on_the_ticket_page(
    agent_client, agent, open_ticket
):
    ticket = open_ticket()
    response = agent_client.post(
        reverse("admin:tickets_ticket_reply", args=[ticket.pk]),
        {"body": "", "status": "resolved"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    # The page is served at the reply URL: the status form must not post there.
    assert f'action="{change_url(ticket)}" method="post" id="ticket_form"' in response.text
    assert 'name="status"' in response.text
    ticket.refresh_from_db()
    assert (ticket.status, ticket.messages.count()) == (Ticket.Status.NEW, 1)
    assert not ticket.events.filter(kind="status_changed").exists()


def test_a_ticket_id_that_is_not_a_number_gets_the_admins_does_not_exist_answer(agent_client):
    response = agent_client.get("/admin/tickets/ticket/abc/change/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert "doesn’t exist" in response.text
    missing = agent_client.get(reverse("admin:tickets_ticket_change", args=[999999]))
    assert missing.status_code == 302
    assert missing["Location"] == reverse("admin:index")


def test_a_reply_to_a_ticket_that_does_not_exist_is_not_found(agent_client):
    response = agent_client.post(
        reverse("admin:tickets_ticket_reply", args=[999999]), {"body": "Hello"}
    )
    assert response.status_code == 404


def test_editing_the_ticket_in_the_admin_goes_through_the_service(
    agent_client, agent, open_ticket, mailoutbox
):
    ticket = open_ticket()
    mailoutbox.clear()
    response = agent_client.post(
        change_url(ticket),
        {"status": "open", "priority": "4", "category": ticket.category_id, "assignee": agent.pk},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee) == ("open", 4, agent)
    assert set(ticket.events.filter(actor=agent).values_list("kind", flat=True)) == {
        "status_changed",
        "priority_changed",
        "assignee_changed",
    }
    assert len(mailoutbox) == 1


def test_the_ticket_page_takes_the_same_queries_for_a_long_thread(
    agent_client, agent, owner, open_ticket, django_assert_max_num_queries
):
    from tickets.attachments import check_upload

    ticket = open_ticket()
    with django_assert_max_num_queries(15) as few:
        agent_client.get(change_url(ticket))
    for index in range(5):
        services.ticket_reply_as_agent(
            ticket=ticket, agent=agent, body=f"note {index}", internal=bool(index % 2)
        )
        services.ticket_reply_as_customer(
            ticket=ticket,
            author=owner,
            body=f"more {index}",
            files=[check_upload(upload(f"{index}.png", png_bytes()))],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent_client.get(change_url(ticket))


def test_customers_cannot_reach_the_queue_the_ticket_page_or_the_reply(owner_client, open_ticket):
    ticket = open_ticket()
    for response in (
        owner_client.get(QUEUE),
        owner_client.get(change_url(ticket)),
        owner_client.post(change_url(ticket), {"status": "closed"}),
        owner_client.post(
            reverse("admin:tickets_ticket_reply", args=[ticket.pk]), {"body": "hacked"}
        ),
    ):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.messages.count()) == (Ticket.Status.NEW, 1)


def test_only_a_login_with_the_delete_permission_deletes_tickets(
    agent_client, supervisor_client, open_ticket
):
    ticket = open_ticket()
    delete_url = reverse("admin:tickets_ticket_delete", args=[ticket.pk])
    assert agent_client.get(delete_url).status_code == 403
    offered = agent_client.get(QUEUE).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _label in offered]
    assert "delete_selected" in [
        name
        for name, _label in supervisor_client.get(QUEUE)
        .context["action_form"]
        .fields["action"]
        .choices
    ]
    agent_client.post(QUEUE, {"action": "delete_selected", "_selected_action": [ticket.pk]})
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    response = supervisor_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not Ticket.objects.filter(pk=ticket.pk).exists()


def test_the_history_shows_labels_rather_than_stored_values(agent_client, agent, open_ticket):
    ticket = open_ticket()
    services.ticket_status_change(ticket=ticket, acting_user=agent, status="waiting")
    page = agent_client.get(change_url(ticket)).text
    history = page[page.index("ticket-history") :]
    assert "<td>New</td><td>Waiting on customer</td>" in history
    assert "<td>waiting</td>" not in history


def test_supervisors_edit_sla_policies_and_agents_cannot(supervisor_client, agent_client):
    policy = SlaPolicy.objects.get(plan="basic", priority=5, channel="portal")
    url = reverse("admin:tickets_slapolicy_change", args=[policy.pk])
    assert agent_client.get(url).status_code == 403
    response = supervisor_client.post(
        url,
        {
            "plan": "basic",
            "priority": 5,
            "channel": "portal",
            "response_hours": "12",
            "calendar": "always",
        },
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.response_hours == 12
