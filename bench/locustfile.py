"""The outage hour, as Locust users (`make loadtest` runs it; see bench/loadtest.py).

Customers log in (the second step with their authenticator app where they enrolled one),
read their dashboard and requests, open Critical and Urgent requests with a screenshot,
reply, search the help centre and ask for their PIN by SMS; agents log in to the admin
(always with the second step), work the queue, open requests, reply, and verify callers
with the PIN the caller reads out. Each simulated person is a different login, taken from
the accounts file the driver wrote (LOADTEST_ACCOUNTS).

With DEBUG off the portal's cookies are Secure and this runs over plain HTTP on
127.0.0.1, so cookies are kept and sent by hand, and redirects followed by hand.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"]).read())  # noqa: SIM115
# Each run of the driver starts where the previous ones ended, so that no login is used by
# two runs seconds apart (an app's code is good once in its 30 s).
_OFFSET = int(os.environ.get("LOADTEST_OFFSET", "0"))
_customers = itertools.count(_OFFSET)
_agents = itertools.count(_OFFSET // 9)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"/tickets/(T-\d\d-\d+)/")
SCREENSHOT = base64.b64decode(ACCOUNTS["screenshot"])
SEARCHES = ["dns", "email", "password", "invoice", "ssl", "backup", "nameservers", "vps"]


def totp(secret_hex: str, step: int = 30, digits: int = 6, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(secret_hex), struct.pack(">Q", counter), hashlib.sha1)
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    code = (struct.unpack(">I", raw[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class PortalUser(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}

    def go(self, method: str, path: str, name: str, **kwargs):
        """One page, redirects followed, each step named; the last response."""
        for _ in range(6):
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if method == "POST":
                headers["Referer"] = self.host + path
            with self.client.request(
                method, path, name=name, headers=headers, allow_redirects=False,
                catch_response=True, **kwargs,
            ) as response:  # fmt: skip
                if response.status_code >= 400:
                    response.failure(f"{response.status_code} at {path}")
                elif method == "POST" and response.status_code == 200:
                    # A form shown again: it was refused (and nothing was done).
                    response.failure(f"form refused at {path}")
                else:
                    response.success()
            for cookie in response.cookies:
                self.cookies[cookie.name] = cookie.value
            if response.status_code not in (301, 302, 303):
                return response
            method, path, kwargs = "GET", response.headers["Location"], {}
            name = f"{name} (then)"
        return response

    def post_form(self, path: str, name: str, data: dict, page: str = "", **kwargs):
        form = self.go("GET", page or path, f"{name}: form")
        token = TOKEN.search(form.text)
        if token is None:
            return form
        return self.go("POST", path, name, data={"csrfmiddlewaretoken": token.group(1), **data},
                       **kwargs)  # fmt: skip

    def second_step(self, response, secret_hex: str, name: str):
        if "/verify" in response.url and 'name="code"' in response.text:
            token = TOKEN.search(response.text).group(1)
            return self.go(
                "POST", response.url.replace(self.host, ""), f"{name}: second step",
                data={"csrfmiddlewaretoken": token, "code": totp(secret_hex)},
            )  # fmt: skip
        return response


class Customer(PortalUser):
    weight = 9
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        self.account = ACCOUNTS["customers"][next(_customers) % len(ACCOUNTS["customers"])]
        self.references: list[str] = []
        response = self.post_form(
            "/accounts/login/", "log in",
            {"username": self.account["username"], "password": ACCOUNTS["password"]},
        )  # fmt: skip
        if self.account.get("totp"):
            self.second_step(response, self.account["totp"], "log in")

    @task(4)
    def dashboard(self) -> None:
        self.go("GET", "/dashboard/", "customer dashboard")

    @task(4)
    def my_requests(self) -> None:
        page = self.go("GET", "/tickets/", "my requests")
        self.references = REFERENCE.findall(page.text) or self.references

    @task(3)
    def a_request(self) -> None:
        if self.references:
            self.go("GET", f"/tickets/{random.choice(self.references)}/", "a request")

    @task(2)
    def open_critical_request(self) -> None:
        self.post_form(
            "/tickets/new/", "open a request",
            {
                "subject": "Every site on our server is down",
                "category": ACCOUNTS["category"],
                "priority": random.choice(["5", "4"]),
                "description": "Since 10:02 every page answers 502. Screenshot attached.",
                "browser": "Firefox 128",
                "device": "Windows computer",
            },
            files={"attachments": ("screenshot.png", SCREENSHOT, "image/png")},
        )  # fmt: skip

    @task(2)
    def reply(self) -> None:
        if self.references:
            path = f"/tickets/{random.choice(self.references)}/"
            self.post_form(path, "reply", {"body": "Still down here, any news?"})

    @task(3)
    def help_search(self) -> None:
        self.go("GET", f"/help/search/?q={random.choice(SEARCHES)}", "help search")

    @task(1)
    def pin_by_sms(self) -> None:
        self.post_form("/support-pin/send/", "PIN by SMS", {}, page="/support-pin/")


class Agent(PortalUser):
    weight = 1
    wait_time = between(3, 8)

    def on_start(self) -> None:
        super().on_start()
        self.account = ACCOUNTS["agents"][next(_agents) % len(ACCOUNTS["agents"])]
        self.ticket_ids: list[str] = []
        response = self.post_form(
            "/admin/login/", "agent log in",
            {"username": self.account["username"], "password": ACCOUNTS["password"]},
        )  # fmt: skip
        self.second_step(response, self.account["totp"], "agent log in")

    @task(4)
    def queue(self) -> None:
        page = self.go("GET", "/admin/tickets/ticket/", "queue")
        self.ticket_ids = re.findall(r"/admin/tickets/ticket/(\d+)/change/", page.text) or (
            self.ticket_ids
        )

    @task(3)
    def ticket_page(self) -> None:
        if self.ticket_ids:
            path = f"/admin/tickets/ticket/{random.choice(self.ticket_ids)}/change/"
            self.go("GET", path, "agent ticket page")

    @task(2)
    def reply(self) -> None:
        if self.ticket_ids:
            ticket_id = random.choice(self.ticket_ids)
            path = f"/admin/tickets/ticket/{ticket_id}/change/"
            page = self.go("GET", path, "agent reply: form")
            token = TOKEN.search(page.text)
            seen = re.search(r'name="seen_message_id" value="(\d*)"', page.text)
            if token:
                self.go(
                    "POST", f"/admin/tickets/ticket/{ticket_id}/reply/", "agent reply",
                    data={
                        "csrfmiddlewaretoken": token.group(1),
                        "body": "We are on it: the web servers restart one by one.",
                        "status": "",
                        "seen_message_id": seen.group(1) if seen else "",
                        "send_anyway": "on",
                    },
                )  # fmt: skip

    @task(2)
    def verify_caller(self) -> None:
        caller = random.choice(ACCOUNTS["customers"])
        path = "/admin/supportpin/callerverification/"
        page = self.go("GET", f"{path}?login={caller['id']}", "verify a caller")
        token = TOKEN.search(page.text)
        if token:
            pin = totp(caller["pin"], step=1800)
            self.go(
                "POST", path, "verify a caller: PIN",
                data={"csrfmiddlewaretoken": token.group(1), "login": caller["id"], "pin": pin},
            )  # fmt: skip
