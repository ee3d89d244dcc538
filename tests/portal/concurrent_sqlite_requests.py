"""Run by tests/portal/test_sqlite_concurrency.py in a process of its own, on the
embedded settings with a SQLite file: many logins send a writing request at the same
moment; prints the status codes as JSON."""

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import django

REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Customer, User
    from tickets.models import Category

    call_command("migrate", verbosity=0)
    customer = Customer.objects.create(name="Acme Hosting", plan=Customer.Plan.BASIC)
    people = []
    for index in range(REQUESTS):
        user = User(
            username=f"person{index}",
            email=f"person{index}@example.com",
            customer=customer,
            role=User.Role.OWNER if index == 0 else User.Role.MEMBER,
        )
        user.set_unusable_password()
        user.save()
        people.append(user)
    category = Category.objects.get(name="Bug")
    clients = []
    for user in people:
        client = Client(raise_request_exception=False, HTTP_HOST="localhost")
        client.force_login(user)
        clients.append(client)
    connection.close()
    start = threading.Barrier(REQUESTS)

    def open_request(client: Client) -> int:
        try:
            start.wait()
            response = client.post(
                "/tickets/new/",
                {
                    "subject": "Everything is down",
                    "category": category.pk,
                    "priority": "3",
                    "description": "Since 10:00.",
                },
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        statuses = list(pool.map(open_request, clients))
    from tickets.models import Ticket

    references = sorted(Ticket.objects.values_list("reference", flat=True))
    print(json.dumps({"statuses": statuses, "references": references}))


if __name__ == "__main__":
    main()
