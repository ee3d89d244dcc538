"""PostgreSQL goes away under load (every connection dropped, new ones refused, as in a
restart) and comes back: requests in flight fail with the portal's own error page, none
is half written, and the web processes serve again without being restarted."""

import threading

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.factories import make_customer, make_user
from tests.faults.processes import Browser, Gunicorn, portal_env, wait_until
from tests.faults.tcpproxy import TcpProxy
from tickets.defaults import install_defaults
from tickets.models import Category, SlaPolicy, Ticket

pytestmark = pytest.mark.faults


@pytest.fixture
def proxy(database_url):
    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    yield proxy
    proxy.close()


def new_request(browser: Browser, category: Category, n: int):
    return browser.post_form(
        "/tickets/new/",
        {
            "subject": f"Database outage {n}",
            "category": category.pk,
            "priority": "3",
            "description": "Seen while the database restarts.",
            "browser": "Firefox 128",
            "device": "Windows computer",
        },
    )


def test_a_database_restart_fails_requests_cleanly_and_the_portal_recovers_by_itself(
    database_url, proxy, redis, smtp_sink, twilio, same_keys, started, tmp_path
):
    install_defaults(Category, SlaPolicy)
    category = Category.objects.order_by("pk").first()
    user = make_user("dora.database", customer=make_customer(), role=User.Role.OWNER)
    client = Client()
    client.force_login(user)
    env = portal_env(
        database_url=database_url.replace(
            f":{connection.settings_dict['PORT'] or 5432}/", f":{proxy.port}/"
        ),
        redis_url=redis.url,
        smtp_port=smtp_sink.port,
        twilio_url=twilio.base_url,
    )
    web = started(Gunicorn(env, tmp_path))
    browser = Browser(web.url, client.cookies["sessionid"].value)
    assert new_request(browser, category, 0).status_code == 302  # connections are open

    answers = []
    stop = threading.Event()

    def keep_opening_requests() -> None:
        n = 1
        while not stop.is_set():
            try:
                response = new_request(browser, category, n)
                answers.append((response.status_code, response.text))
            except AssertionError:  # the form page itself failed: a 500 too
                answers.append((500, "Something went wrong"))
            n += 1

    load = threading.Thread(target=keep_opening_requests)
    load.start()
    wait_until(lambda: len(answers) >= 2, 30)
    proxy.cut()
    wait_until(lambda: False, 2)
    proxy.restore()
    wait_until(lambda: False, 2)
    stop.set()
    load.join(60)

    # In flight or during the outage: the portal's own page, never gunicorn's.
    failed = [text for status, text in answers if status >= 500]
    assert failed, "no request met the outage"
    assert all("Something went wrong" in text for text in failed)
    assert {status for status, _text in answers} <= {302, 500}
    # Back without restarting the web processes.
    assert new_request(browser, category, 999).status_code == 302
    # Nothing half written: every saved request has its first message, and each
    # reference is used once.
    tickets = Ticket.objects.filter(requester=user)
    assert all(ticket.messages.exists() for ticket in tickets)
    assert tickets.values("reference").distinct().count() == tickets.count()
    assert tickets.count() >= 1 + sum(1 for status, _text in answers if status == 302) + 1
