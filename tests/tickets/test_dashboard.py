"""The agents' dashboard: the numbers of now, each linking to the queue filtered that way,
and the charts, each with a data table equal to its SVG; queries do not grow with tickets."""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_customer, make_user
from tickets import dashboard, services, tasks
from tickets.models import DayFigures, Ticket
from tickets.sla import ATHENS

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:tickets_dashboard")
QUEUE = reverse("admin:tickets_ticket_changelist")


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=ATHENS), tick=False)


def number(page: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}"><strong>(\d+)</strong>', page)
    return int(match.group(1))


def test_the_now_numbers_count_and_link_to_the_queue_filtered_that_way(
    agent_client, agent, open_ticket
):
    with at(2025, 9, 1, 9):
        open_ticket(priority=5)  # Premium Critical: due 13:00, overdue at 14:00
    with at(2025, 9, 1, 14):
        soon = open_ticket(priority=5)  # due 18:00: within 4 business hours
        mine = open_ticket(priority=1)
        services.ticket_assign(ticket=mine, acting_user=agent, assignee=agent)
        done = open_ticket()
        services.ticket_status_change(ticket=done, acting_user=agent, status="resolved")
        page = agent_client.get(DASHBOARD).text
        for testid, view, expected in [
            ("now-overdue", "overdue", 1),
            ("now-due-soon", "due4h", 1),
            ("now-unassigned", "unassigned", 2),
            ("now-mine", "mine", 1),
        ]:
            assert number(page, testid) == expected, testid
            assert f'href="{QUEUE}?view={view}" data-testid="{testid}"' in page
            listed = agent_client.get(QUEUE, {"view": view}).context["cl"].result_list
            assert len(listed) == expected, view
    assert soon.reference
    assert '?priority__exact=5&amp;status__exact=new" data-testid="grid-5-new">2</a>' in page
    assert 'data-testid="grid-1-new">1</a>' in page
    assert 'data-testid="grid-2-new">0</a>' in page


def test_due_within_4_business_hours_skips_a_greek_holiday(agent_client, category):
    business = make_customer("Big Corp", plan="business")
    boss = make_user("boss", customer=business, role="owner")
    # Tuesday 27 October 2026, 16:00; Wednesday the 28th is a Greek public holiday.
    with at(2026, 10, 27, 16):
        # Business Urgent: 4 business hours, so due Thursday 29 October at 11:00.
        urgent = services.ticket_create(
            requester=boss, subject="x", description="x", category=category, priority=4
        )
        # Business High: 8 business hours, due Thursday at 15:00.
        services.ticket_create(
            requester=boss, subject="y", description="y", category=category, priority=3
        )
        assert urgent.response_due_at == datetime(2026, 10, 29, 11, tzinfo=ATHENS)
        assert number(agent_client.get(DASHBOARD).text, "now-due-soon") == 1
        assert [
            t.reference
            for t in agent_client.get(QUEUE, {"view": "due4h"}).context["cl"].result_list
        ] == [urgent.reference]


def test_opened_and_solved_per_day_across_a_dst_change(agent, open_ticket):
    # Summer time ends on Sunday 26 October 2025 at 04:00 Athens time.
    with at(2025, 10, 25, 23, 30):
        open_ticket()
    with at(2025, 10, 26, 0, 30):
        first = open_ticket()
    with at(2025, 10, 26, 23, 30):  # after the change: still the 26th in Athens
        open_ticket()
    with at(2025, 10, 27, 10):
        services.ticket_status_change(ticket=first, acting_user=agent, status="resolved")
        opened, solved = dashboard.opened_and_solved(now=datetime.now(tz=ATHENS))
    assert dict(opened.points)["25/10"] == 1
    assert dict(opened.points)["26/10"] == 2
    assert dict(solved.points)["27/10"] == 1
    assert len(opened.points) == 30


def test_first_answers_in_time_per_plan_and_priority_per_week(agent, open_ticket, other_owner):
    business = make_customer("Big Corp", plan="business")
    boss = make_user("boss", customer=business, role="owner")
    with at(2025, 9, 1, 9):  # Monday
        late = open_ticket(priority=5)  # due 13:00
        in_time = open_ticket(priority=5)
        theirs = open_ticket(requester=boss, priority=5)
        normal = open_ticket(priority=2)  # Premium Normal: 24 business hours
    with at(2025, 9, 1, 10):
        services.ticket_reply_as_agent(ticket=in_time, agent=agent, body="a")
        services.ticket_reply_as_agent(ticket=theirs, agent=agent, body="a")
    with at(2025, 9, 1, 15):
        services.ticket_reply_as_agent(ticket=late, agent=agent, body="a")
    with at(2025, 9, 2, 11):  # within its 24 business hours
        services.ticket_reply_as_agent(ticket=normal, agent=agent, body="a")
    with at(2025, 9, 10, 9):
        series = {
            s.title: dict(s.points)
            for s in dashboard.first_response_kept(now=datetime.now(tz=ATHENS))
        }
    assert len(series) == 3 * 5
    premium_critical = series["First answers in time, Premium plan, Critical, per week (%)"]
    premium_normal = series["First answers in time, Premium plan, Normal, per week (%)"]
    business_critical = series["First answers in time, Business plan, Critical, per week (%)"]
    assert premium_critical["01/09"] == 50
    assert premium_critical["08/09"] is None  # no first answer that week: not 0 %
    assert premium_normal["01/09"] == 100
    assert business_critical["01/09"] == 100
    assert len(premium_critical) == 12


def test_median_and_90th_percentile_of_business_hours_to_a_first_answer(agent, open_ticket):
    tickets = []
    with at(2025, 9, 5, 17):  # Friday 17:00
        tickets = [open_ticket() for _ in range(3)]
    # Answered Friday 17:30 (0.5 h), Monday 10:00 (2 business hours), Monday 17:00 (9).
    answers = [(2025, 9, 5, 17, 30), (2025, 9, 8, 10), (2025, 9, 8, 17)]
    for ticket, when in zip(tickets, answers, strict=True):
        with at(*when):
            services.ticket_reply_as_agent(ticket=ticket, agent=agent, body="a")
    with at(2025, 9, 9, 9):
        points = dict(dashboard.first_response_hours(now=datetime.now(tz=ATHENS)).points)
    assert points["Premium median"] == 2.0
    assert points["Premium 90th percentile"] == 9.0
    assert points["Basic median"] == 0


def test_backlog_age_buckets(agent, open_ticket):
    with at(2025, 8, 1, 10):
        open_ticket()
    with at(2025, 9, 8, 10):
        open_ticket()
    with at(2025, 9, 10, 10):
        open_ticket()
        closed = open_ticket()
        services.ticket_status_change(ticket=closed, acting_user=agent, status="closed")
        numbers = dashboard.now_numbers(agent=agent, now=datetime.now(tz=ATHENS))
        points = list(dashboard.backlog_age(numbers).points)
    assert [count for _label, count in points] == [1, 1, 0, 0, 1]


def test_each_charts_data_table_equals_its_svg(agent_client, agent, open_ticket):
    with at(2025, 9, 1, 9):
        open_ticket(priority=5)
        answered = open_ticket()
    with at(2025, 9, 1, 11):
        services.ticket_reply_as_agent(ticket=answered, agent=agent, body="a")
        page = agent_client.get(DASHBOARD).text
    charts = re.findall(
        r'<figure class="chart" data-chart="(chart-\d+)">(.*?)</figure>', page, re.S
    )
    assert len(charts) == 4 + 3 * 5
    assert any('data-value=""' in html for _chart_id, html in charts)  # weeks without answers
    for chart_id, html in charts:
        svg, table = html.split("<details", 1)
        in_svg = re.findall(
            r'<rect class="chart-bar[^"]*"[^>]*data-label="([^"]*)" data-value="([^"]*)"', svg
        )
        in_table = re.findall(r'<tr data-label="([^"]*)" data-value="([^"]*)"', table)
        assert in_svg and in_svg == in_table, chart_id


def _charts(now: datetime) -> list[tuple[str, list]]:
    opened, solved = dashboard.opened_and_solved(now=now)
    return [
        (series.title, series.points)
        for series in [
            opened,
            solved,
            *dashboard.first_response_kept(now=now),
            dashboard.first_response_hours(now=now),
        ]
    ]


def test_the_charts_read_from_summary_rows_equal_the_charts_counted_live(
    agent, open_ticket, other_owner
):
    # Summer time ends on Sunday 26 October 2025; Tuesday the 28th is a Greek holiday.
    with at(2025, 10, 24, 17):
        critical, normal = open_ticket(priority=5), open_ticket()
        theirs = open_ticket(requester=other_owner, priority=3)
    with at(2025, 10, 25, 23, 30):
        night = open_ticket()
    with at(2025, 10, 26, 0, 30):
        open_ticket(priority=4)
    with at(2025, 10, 27, 10):
        services.ticket_reply_as_agent(ticket=critical, agent=agent, body="a")
        services.ticket_reply_as_agent(ticket=normal, agent=agent, body="a", status="resolved")
    with at(2025, 10, 29, 12):
        services.ticket_reply_as_agent(ticket=theirs, agent=agent, body="a")
        services.ticket_reply_as_agent(ticket=night, agent=agent, body="a", status="resolved")
    with at(2025, 10, 30, 12):
        today = open_ticket()
        services.ticket_reply_as_agent(ticket=today, agent=agent, body="a")
        now = datetime.now(tz=ATHENS)
        counted_live = _charts(now)
        days = dashboard.days_to_summarise(now=now)
        for day in days:
            services.day_figures_summarise(day=day)
        assert DayFigures.objects.count() == len(days) * 3 * 5
        assert date(2025, 10, 30) not in days  # today is always counted live
        assert _charts(now) == counted_live
    opened = dict(counted_live[0][1])
    assert (opened["24/10"], opened["25/10"], opened["26/10"], opened["30/10"]) == (3, 1, 1, 1)
    # Premium's first answers: today's at once (0 h); the Normal one, Friday 17:00 to
    # Monday 10:00, 2 business hours; the one of Saturday night answered on Wednesday
    # the 29th at 12:00, across the holiday, 9 + 3 = 12; the Critical one runs around the
    # clock: Friday 17:00 summer time to Monday 10:00 winter time is 66 hours.
    hours = dict(counted_live[-1][1])
    assert hours["Premium median"] == 7.0
    assert hours["Premium 90th percentile"] == 66.0


def test_past_days_are_read_from_their_summary_rows_and_today_is_counted_live(open_ticket):
    with at(2025, 9, 8, 10):
        open_ticket()
    with at(2025, 9, 9, 10):
        services.day_figures_summarise(day=date(2025, 9, 8))
        DayFigures.objects.filter(day=date(2025, 9, 8), plan="premium", priority=2).update(opened=7)
        open_ticket()
        opened, _solved = dashboard.opened_and_solved(now=datetime.now(tz=ATHENS))
    assert dict(opened.points)["08/09"] == 7
    assert dict(opened.points)["09/09"] == 1


def test_summarising_a_day_again_follows_the_tickets(agent, open_ticket):
    with at(2025, 9, 8, 10):
        ticket = open_ticket()
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="resolved")
    with at(2025, 9, 9, 10):
        services.day_figures_summarise(day=date(2025, 9, 8))
        assert DayFigures.objects.get(day=date(2025, 9, 8), plan="premium", priority=2).solved == 1
        services.ticket_status_change(ticket=ticket, acting_user=agent, status="open")
        services.day_figures_summarise(day=date(2025, 9, 8))
        assert DayFigures.objects.get(day=date(2025, 9, 8), plan="premium", priority=2).solved == 0
        assert DayFigures.objects.filter(day=date(2025, 9, 8)).count() == 3 * 5


def test_the_hourly_job_summarises_each_past_day_the_charts_show(open_ticket):
    with at(2025, 9, 10, 12):  # Wednesday
        open_ticket()
        # Twelve weeks from Monday 23 June, further back than 30 days, until yesterday.
        assert tasks.summarise_days.delay().get() == (date(2025, 9, 10) - date(2025, 6, 23)).days
    summarised = set(DayFigures.objects.values_list("day", flat=True))
    assert min(summarised) == date(2025, 6, 23)
    assert max(summarised) == date(2025, 9, 9)


def test_a_day_that_cannot_be_summarised_does_not_stop_the_others(
    open_ticket, monkeypatch, eager_retries
):
    real = services.day_figures_summarise
    calls = []

    def failing_on_one_day(*, day):
        calls.append(day)
        if day == date(2025, 9, 1):
            raise RuntimeError("the database refused this row")
        return real(day=day)

    monkeypatch.setattr(services, "day_figures_summarise", failing_on_one_day)
    with at(2025, 9, 10, 12):
        tasks.summarise_days.delay()
    summarised = set(DayFigures.objects.values_list("day", flat=True))
    assert date(2025, 9, 1) not in summarised
    assert {date(2025, 8, 31), date(2025, 9, 2)} <= summarised
    assert calls.count(date(2025, 9, 1)) == tasks.MAX_RETRIES + 1


def test_the_admin_home_page_shows_the_dashboard_before_the_apps(agent_client, agent, open_ticket):
    with at(2025, 9, 1, 9):
        open_ticket(priority=5)
    with at(2025, 9, 1, 14):
        page = agent_client.get(reverse("admin:index")).text
    main = page.split('id="content-start"', 1)[1]
    assert number(main, "now-overdue") == 1
    assert main.index('data-testid="now-overdue"') < main.index('/admin/tickets/ticket/"')
    assert len(re.findall(r'<figure class="chart"', main)) == 4 + 3 * 5


def test_customers_cannot_open_the_dashboard(owner_client):
    assert owner_client.get(DASHBOARD).status_code == 302


def _many_tickets(owner, agent, count: int) -> None:
    """`count` tickets of every status, opened over 60 days, half answered."""
    from tickets.models import Category

    bug = Category.objects.get(name="Bug")
    now = datetime(2025, 9, 10, 12, tzinfo=ATHENS)
    statuses = ["new", "open", "waiting", "resolved", "closed"]
    Ticket.objects.bulk_create(
        [
            Ticket(
                reference=f"T-B-{n}",
                customer=owner.customer,
                requester=owner,
                subject="s",
                category=bug,
                priority=n % 5 + 1,
                status=statuses[n % 5],
                assignee=agent if n % 3 == 0 else None,
                response_due_at=now + timedelta(hours=n % 48 - 24) if n % 5 < 2 else None,
                first_response_at=now - timedelta(hours=n % 100) if n % 2 else None,
                resolved_at=now - timedelta(days=n % 30) if n % 5 == 3 else None,
                updated_at=now,
            )
            for n in range(count)
        ]
    )
    Ticket.objects.filter(reference__startswith="T-B-").update(created_at=now - timedelta(days=10))


@pytest.mark.parametrize("summarised", [False, True], ids=["counted live", "summarised"])
def test_the_dashboard_takes_the_same_queries_at_10_and_1000_tickets(
    agent_client,
    agent,
    owner,
    summarised,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    def summarise() -> None:
        if summarised:
            for day in dashboard.days_to_summarise(now=datetime.now(tz=ATHENS)):
                services.day_figures_summarise(day=day)

    _many_tickets(owner, agent, 10)
    with at(2025, 9, 10, 12):
        summarise()
        with django_assert_max_num_queries(100) as few:
            agent_client.get(DASHBOARD)
        Ticket.objects.all().delete()
        _many_tickets(owner, agent, 1000)
        summarise()
        with django_assert_num_queries(len(few.captured_queries)):
            agent_client.get(DASHBOARD)


def test_the_queue_takes_the_same_queries_at_10_and_1000_tickets(
    agent_client, agent, owner, django_assert_num_queries, django_assert_max_num_queries
):
    _many_tickets(owner, agent, 10)
    with at(2025, 9, 10, 12):
        with django_assert_max_num_queries(100) as few:
            agent_client.get(QUEUE)
        Ticket.objects.all().delete()
        _many_tickets(owner, agent, 1000)
        with django_assert_num_queries(len(few.captured_queries)):
            agent_client.get(QUEUE)
