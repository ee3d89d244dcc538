"""The portal's own log handler (portal.logs.make_handler) writing to a string, so that a
test reads exactly what production would write."""

import io
import json

from portal.logs import make_handler


class CapturedLogs:
    """What the portal's own handler writes, at DEBUG, from every logger."""

    def __init__(self, fmt: str) -> None:
        self.stream = io.StringIO()
        self.handler = make_handler(fmt=fmt, stream=self.stream)

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.startswith("{")]
