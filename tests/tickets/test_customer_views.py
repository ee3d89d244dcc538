import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user, png_bytes, upload
from tickets import services
from tickets.models import Attachment, PendingUpload, Priority, Ticket

pytestmark = pytest.mark.django_db

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)


def new_request(chosen_category, **overrides):
    data = {
        "subject": "Website down",
        "category": chosen_category.pk,
        "priority": "5",
        "description": "Nothing loads since 10:00.",
        "browser": "Firefox 128",
        "device": "Windows computer",
    }
    data.update(overrides)
    return data


def test_the_new_request_form_shows_each_priority_with_its_definition_and_the_promise(
    owner_client,
):
    response = owner_client.get(reverse("tickets:create"), HTTP_USER_AGENT=FIREFOX_ON_WINDOWS)
    assert response.status_code == 200
    page = response.text
    for name in ("Low", "Normal", "High", "Urgent", "Critical"):
        assert f'<span class="priority-name">{name}</span>' in page
    assert "the whole business is stopped" in page
    assert "Domains and DNS" in page
    # Premium plan: critical incidents within 4 hours, around the clock.
    assert "within 4 h, around the clock" in page
    assert 'value="Firefox 128"' in page
    assert 'value="Windows computer"' in page


def test_a_customer_opens_a_request_with_a_screenshot_and_sees_its_reference(
    owner_client, owner, category, mailoutbox
):
    data = new_request(category, attachments=[upload("screen.png", png_bytes())])
    response = owner_client.post(reverse("tickets:create"), data, follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[ticket.reference])
    assert ticket.reference in response.text
    assert (ticket.requester, ticket.customer, ticket.priority) == (owner, owner.customer, 5)
    assert (ticket.browser, ticket.device) == ("Firefox 128", "Windows computer")
    assert ticket.attachments.get().name == "screen.png"
    [mail] = mailoutbox
    assert mail.to == [owner.email]
    assert ticket.reference in mail.subject


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", ""), ("description", "  "), ("priority", "9"), ("category", "999")],
)
def test_bad_input_saves_nothing_and_keeps_what_was_typed(owner_client, category, field, value):
    data = new_request(category, **{field: value})
    response = owner_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "Please correct the errors below." in response.text
    assert list(response.context["form"].errors) == [field]
    for kept in ("Firefox 128", "Windows computer"):
        if kept != value:
            assert kept in response.text
    if field != "description":
        assert "Nothing loads since 10:00." in response.text


def test_a_valid_file_on_a_form_with_errors_is_kept_and_sent_with_the_corrected_form(
    owner_client, category
):
    data = new_request(category, subject="", attachments=[upload("screen.png", png_bytes())])
    response = owner_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert "Files already received" in response.text
    assert "screen.png" in response.text
    token = response.context["form"].kept_items[0][0]
    assert PendingUpload.objects.count() == 1

    response = owner_client.post(
        reverse("tickets:create"), new_request(category, kept_upload=[token])
    )
    assert response.status_code == 302
    assert Ticket.objects.get().attachments.get().name == "screen.png"
    assert PendingUpload.objects.count() == 0


def test_a_kept_file_cannot_be_claimed_by_another_login(owner_client, other_client, category):
    response = owner_client.post(
        reverse("tickets:create"),
        new_request(category, subject="", attachments=[upload("screen.png", png_bytes())]),
    )
    token = response.context["form"].kept_items[0][0]
    other_client.post(reverse("tickets:create"), new_request(category, kept_upload=[token]))
    assert Attachment.objects.count() == 0
    assert PendingUpload.objects.count() == 1


def test_a_refused_file_is_named_in_the_error_and_the_good_one_is_kept(owner_client, category):
    data = new_request(
        category,
        attachments=[
            upload("screen.png", png_bytes()),
            upload("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ],
    )
    response = owner_client.post(reverse("tickets:create"), data)
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "page.png cannot be attached" in response.text
    assert [upload.name for _token, upload in response.context["form"].kept_items] == ["screen.png"]


def test_my_requests_lists_open_ones_first_with_status_priority_and_last_update(
    owner_client, open_ticket, agent
):
    done = open_ticket(subject="Old invoice question")
    services.ticket_status_change(ticket=done, acting_user=agent, status="closed")
    active = open_ticket(subject="DNS not resolving")
    response = owner_client.get(reverse("tickets:list"))
    page = response.text
    assert page.index(active.reference) < page.index(done.reference)
    assert "Closed" in page and "Normal" in page


def test_my_requests_filters_by_status_and_searches_reference_and_subject(
    owner_client, open_ticket, agent
):
    dns = open_ticket(subject="DNS not resolving")
    mail = open_ticket(subject="Mailbox full")
    services.ticket_status_change(ticket=mail, acting_user=agent, status="resolved")
    url = reverse("tickets:list")
    assert [t.pk for t in owner_client.get(url, {"status": "resolved"}).context["page"]] == [
        mail.pk
    ]
    assert [t.pk for t in owner_client.get(url, {"status": "active"}).context["page"]] == [dns.pk]
    assert [t.pk for t in owner_client.get(url, {"q": "dns"}).context["page"]] == [dns.pk]
    assert [t.pk for t in owner_client.get(url, {"q": mail.reference}).context["page"]] == [mail.pk]


def test_an_owner_sees_every_request_of_the_customer_and_a_member_only_their_own(
    owner_client, member_client, owner, member, open_ticket
):
    owners = open_ticket(requester=owner)
    members = open_ticket(requester=member)
    url = reverse("tickets:list")
    assert {t.pk for t in owner_client.get(url).context["page"]} == {owners.pk, members.pk}
    assert [t.pk for t in member_client.get(url).context["page"]] == [members.pk]
    assert member_client.get(reverse("tickets:detail", args=[owners.reference])).status_code == (
        404
    )


def test_a_member_allowed_by_the_owner_sees_every_request(member_client, member, open_ticket):
    member.can_view_all_tickets = True
    member.save()
    ticket = open_ticket()
    assert member_client.get(reverse("tickets:detail", args=[ticket.reference])).status_code == (
        200
    )


def test_another_customers_request_and_its_attachments_are_not_found(
    other_client, owner, open_ticket
):
    ticket = open_ticket()
    from tickets.attachments import check_upload

    message = services.ticket_reply_as_customer(
        ticket=ticket,
        author=owner,
        body="screenshot",
        files=[check_upload(upload("s.png", png_bytes()))],
    )
    attachment = message.attachments.get()
    for url in (
        reverse("tickets:detail", args=[ticket.reference]),
        reverse("tickets:attachment", args=[attachment.pk]),
        reverse("tickets:attachment_thumbnail", args=[attachment.pk]),
    ):
        assert other_client.get(url).status_code == 404
    for name in ("close", "reopen"):
        assert other_client.post(
            reverse(f"tickets:{name}", args=[ticket.reference])
        ).status_code == (404)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_a_member_without_permission_cannot_fetch_another_members_attachment(
    member_client, owner, open_ticket
):
    ticket = open_ticket(requester=owner)
    from tickets.attachments import check_upload

    message = services.ticket_reply_as_customer(
        ticket=ticket, author=owner, body="log", files=[check_upload(upload("a.log", b"boom\n"))]
    )
    url = reverse("tickets:attachment", args=[message.attachments.get().pk])
    assert member_client.get(url).status_code == 404


def test_the_ticket_page_shows_replies_but_never_internal_notes(owner_client, open_ticket, agent):
    ticket = open_ticket()
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Secret: VIP", internal=True)
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Please restart the router.")
    page = owner_client.get(reverse("tickets:detail", args=[ticket.reference])).text
    assert "Please restart the router." in page
    assert "Secret: VIP" not in page
    assert "Waiting on customer" in page


def test_an_attachment_of_an_internal_note_is_not_found_for_the_customer(
    owner_client, open_ticket, agent
):
    ticket = open_ticket()
    from tickets.attachments import check_upload

    note = services.ticket_reply_as_agent(
        ticket=ticket,
        agent=agent,
        body="internal log",
        internal=True,
        files=[check_upload(upload("internal.log", b"private\n"))],
    )
    url = reverse("tickets:attachment", args=[note.attachments.get().pk])
    assert owner_client.get(url).status_code == 404


def test_attachments_download_as_files_that_browsers_will_not_sniff(
    owner_client, open_ticket, owner
):
    ticket = open_ticket()
    from tickets.attachments import check_upload

    message = services.ticket_reply_as_customer(
        ticket=ticket, author=owner, body="s", files=[check_upload(upload("s.png", png_bytes()))]
    )
    attachment = message.attachments.get()
    response = owner_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 's.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    thumbnail = owner_client.get(reverse("tickets:attachment_thumbnail", args=[attachment.pk]))
    assert thumbnail["Content-Disposition"] == "inline"
    assert thumbnail["X-Content-Type-Options"] == "nosniff"


def test_the_customer_replies_with_a_file_and_the_waiting_ticket_opens_again(
    owner_client, open_ticket, agent
):
    ticket = open_ticket()
    services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="Which page?")
    response = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]),
        {"body": "The contact page", "attachments": [upload("error.log", b"500 at /contact\n")]},
        follow=True,
    )
    assert "The contact page" in response.text
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.attachments.get().name == "error.log"


def test_an_empty_reply_is_refused_with_a_message(owner_client, open_ticket):
    ticket = open_ticket()
    response = owner_client.post(reverse("tickets:detail", args=[ticket.reference]), {"body": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert ticket.messages.count() == 1


def test_the_customer_closes_a_request_and_reopens_only_a_resolved_one(
    owner_client, open_ticket, agent
):
    ticket = open_ticket()
    url = reverse("tickets:reopen", args=[ticket.reference])
    owner_client.post(url)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW
    services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    owner_client.post(url)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    owner_client.post(reverse("tickets:close", args=[ticket.reference]))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    response = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]), {"body": "hello?"}, follow=True
    )
    assert "This request is closed" in response.text
    assert ticket.messages.count() == 1


def test_staff_have_no_customer_pages(agent_client):
    assert agent_client.get(reverse("tickets:create")).status_code == 404


def test_the_dashboard_lists_open_requests_and_offers_a_new_one(owner_client, open_ticket):
    ticket = open_ticket()
    page = owner_client.get(reverse("portal:dashboard")).text
    assert ticket.reference in page
    assert reverse("tickets:create") in page


def test_the_list_takes_the_same_queries_for_many_tickets(
    owner_client, open_ticket, member, django_assert_max_num_queries
):
    url = reverse("tickets:list")
    open_ticket()
    # The session, the login, its signed-in session's row (read once a minute), and the
    # page's rows with the count of all (portal/paging.py).
    with django_assert_max_num_queries(4) as few:
        owner_client.get(url)
    for index in range(15):
        open_ticket(requester=member if index % 2 else None, subject=f"Issue {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_client.get(url)


def test_the_ticket_page_takes_the_same_queries_for_a_long_thread(
    owner_client, owner, open_ticket, agent, django_assert_max_num_queries
):
    from tickets.attachments import check_upload

    ticket = open_ticket()
    url = reverse("tickets:detail", args=[ticket.reference])
    # The session, the login, its signed-in session's row, the ticket with its promise, the thread.
    with django_assert_max_num_queries(5) as without_files:
        owner_client.get(url)
    services.ticket_reply_as_customer(
        ticket=ticket, author=owner, body="the log", files=[check_upload(upload("a.log", b"1\n"))]
    )
    # The attachments are read only for a thread that has some: one query more.
    with django_assert_max_num_queries(len(without_files.captured_queries) + 1) as few:
        page = owner_client.get(url).text
    assert "a.log" in page
    for index in range(6):
        services.ticket_reply_as_agent(ticket=ticket, agent=agent, body=f"answer {index}")
        services.ticket_reply_as_customer(
            ticket=ticket,
            author=make_user(f"colleague{index}", customer=owner.customer, role="member"),
            body=f"question {index}",
            files=[check_upload(upload(f"{index}.log", b"log\n"))],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(url).text
    assert all(f"{index}.log" in page for index in range(6))
    assert page.count('<ul class="attachments"') == 7


def test_an_attachment_name_is_sent_back_safely_in_the_download_header(
    owner_client, open_ticket, owner
):
    from tickets.attachments import check_upload

    ticket = open_ticket()
    names = ['σφάλμα "1".log', 'report"; x=".log', "line\r\nSet-Cookie: a=b.log"]
    message = services.ticket_reply_as_customer(
        ticket=ticket,
        author=owner,
        body="logs",
        files=[check_upload(upload(name, b"error\n")) for name in names],
    )
    greek, quoted, broken = message.attachments.order_by("pk")
    header = owner_client.get(reverse("tickets:attachment", args=[greek.pk]))["Content-Disposition"]
    assert (
        header == "attachment; filename*=utf-8''%CF%83%CF%86%CE%AC%CE%BB%CE%BC%CE%B1%20%221%22.log"
    )
    header = owner_client.get(reverse("tickets:attachment", args=[quoted.pk]))[
        "Content-Disposition"
    ]
    assert header == 'attachment; filename="report\\"; x=\\".log"'
    assert broken.name == "lineSet-Cookie: a=b.log"
    response = owner_client.get(reverse("tickets:attachment", args=[broken.pk]))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]


def test_every_customer_post_needs_the_csrf_token(owner, open_ticket):
    ticket = open_ticket()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    for url in (
        reverse("tickets:create"),
        reverse("tickets:detail", args=[ticket.reference]),
        reverse("tickets:close", args=[ticket.reference]),
        reverse("tickets:reopen", args=[ticket.reference]),
    ):
        assert browser.post(url, {"body": "hi"}).status_code == 403, url
    ticket.refresh_from_db()
    assert (ticket.status, ticket.messages.count()) == (Ticket.Status.NEW, 1)


def test_a_reply_to_a_request_closed_meanwhile_is_refused_with_a_message(
    owner_client, open_ticket, owner, monkeypatch
):
    ticket = open_ticket()

    def closed_meanwhile(**kwargs):
        raise services.TicketNotOpen(ticket.reference)

    monkeypatch.setattr(services, "ticket_reply_as_customer", closed_meanwhile)
    response = owner_client.post(
        reverse("tickets:detail", args=[ticket.reference]), {"body": "hello?"}, follow=True
    )
    assert "This request is closed" in response.text
    assert ticket.messages.count() == 1


# The rows of "My requests" as the template's own loop wrote them before
# {% customer_ticket_rows %}: the tag must write the same HTML.
TEMPLATE_LOOP_ROWS = """{% load datetimes ticket_badges %}{% for ticket in tickets %}      <tr>
        <td><a href="{{ ticket.detail_url }}">{{ ticket.reference }}</a></td>
        <td>{{ ticket.subject }}<div class="muted">{{ ticket.category }}</div></td>
        <td>{% status_badge ticket %}</td>
        <td>{% priority_badge ticket %}</td>
        <td>{{ ticket.requester.get_full_name }}</td>
        <td>{% time_element ticket.updated_at "SHORT_DATETIME_FORMAT" %}</td>
      </tr>
{% endfor %}"""


@pytest.mark.parametrize("language", ["en", "el", "it", "sk"])
def test_the_list_rows_are_what_the_template_loop_wrote(
    owner, member, open_ticket, language, settings
):
    from django.template import Context, Template
    from django.utils import timezone, translation

    from tickets import selectors
    from tickets.views import _with_detail_urls

    settings.TIME_ZONE = "Europe/Athens"
    open_ticket(subject='Quotes " & <tags> in the subject', priority=Priority.CRITICAL)
    closed = open_ticket(requester=member, subject="Ένα αίτημα", priority=Priority.LOW)
    Ticket.objects.filter(pk=closed.pk).update(status=Ticket.Status.CLOSED)
    member.erased_at = timezone.now()
    member.save()
    open_ticket(subject="Waiting", priority=Priority.HIGH)
    tickets = _with_detail_urls(selectors.customer_ticket_list(user=owner))

    with translation.override(language), timezone.override("Europe/Athens"):
        context = Context({"tickets": tickets})
        expected = Template(TEMPLATE_LOOP_ROWS).render(context)
        written = Template("{% load ticket_badges %}{% customer_ticket_rows tickets %}").render(
            context
        )

    assert written == expected
    assert expected.count("<tr>") == 3
    assert "Quotes &quot; &amp; &lt;tags&gt;" in written
    with translation.override(language):
        former = translation.gettext("Former member")
    assert former in written
    assert former != "Former member" or language == "en"


def test_the_list_is_shown_25_a_page_with_the_number_of_pages(owner_client, open_ticket):
    for index in range(27):
        open_ticket(subject=f"Issue {index:02d}")
    url = reverse("tickets:list")

    first = owner_client.get(url).text
    second = owner_client.get(url, {"page": "2"}).text
    past_the_end = owner_client.get(url, {"page": "9"}).text

    assert first.count("<tr>") == 26 and "Page 1 of 2" in first
    assert second.count("<tr>") == 3 and "Page 2 of 2" in second
    assert "Issue 01" in second and "Issue 00" in second and "Issue 26" not in second
    assert "Page 2 of 2" in past_the_end and past_the_end.count("<tr>") == 3
