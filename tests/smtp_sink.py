"""A local SMTP server (aiosmtpd) standing in for the provider's mail server, so that
email is tested over real SMTP.

`SmtpSink().start()` listens on a free port of 127.0.0.1; `delivered` lists what it
took. It can answer "try later" to the next messages (`temporary_failures`), refuse some
recipients for good (`refused_recipients`), take its time (`rcpt_delay`), or be stopped and
started again on the same port to play an unreachable server.
"""

import asyncio
import socket
import threading
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.temporary_failures = 0
        self.refused_recipients: set[str] = set()
        # Seconds the server waits before answering a recipient: a send in mid-flight.
        self.rcpt_delay = 0.0
        self.attempts = 0
        self.delivered: list[tuple[list[str], bytes]] = []
        self.in_flight = threading.Event()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        with self._lock:
            return [message_from_bytes(content) for _rcpts, content in self.delivered]

    def recipients(self) -> list[str]:
        with self._lock:
            return [rcpt for rcpts, _content in self.delivered for rcpt in rcpts]

    def start(self) -> "SmtpSink":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook name)
        self.in_flight.set()
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if address in self.refused_recipients:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._lock:
            self.attempts += 1
            temporary = self.attempts <= self.temporary_failures
        if temporary:
            return "451 4.3.0 Try again later"
        with self._lock:
            self.delivered.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"
