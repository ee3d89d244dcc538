"""Development backend: the message is already stored (sms.models.SmsMessage, with
secrets masked); this prints the full text to the console so a developer can read it."""

import sys
import uuid


class OutboxBackend:
    def send(self, *, to: str, body: str, status_callback: str = "") -> str:
        sid = f"SMoutbox{uuid.uuid4().hex}"
        sys.stdout.write(f"--- SMS to {to} ({sid}) ---\n{body}\n---\n")
        sys.stdout.flush()
        return sid
