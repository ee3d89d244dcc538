"""Keeps sent messages in `outbox`, for tests (like django.core.mail's locmem backend)."""

import itertools
from dataclasses import dataclass

outbox: list["SentSms"] = []
_ids = itertools.count(1)


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    sid: str


class LocmemBackend:
    def send(self, *, to: str, body: str, status_callback: str = "") -> str:
        message = SentSms(to=to, body=body, sid=f"SMlocmem{next(_ids):024d}")
        outbox.append(message)
        return message.sid
