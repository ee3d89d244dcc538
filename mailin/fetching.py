"""Fetching from the support mailboxes over IMAP (imapclient). Each message is stored
first; only once its row is committed does it leave the inbox, for "Processed" (or
"Failed" when it could not be stored), so a crash between the two fetches it again and
the store recognises it."""

import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient

from mailin import services

logger = logging.getLogger(__name__)

PROCESSED_FOLDER = "Processed"
FAILED_FOLDER = "Failed"
_BATCH = 50


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    ssl: bool
    username: str
    password: str
    folder: str

    @classmethod
    def from_url(cls, url: str) -> "Mailbox":
        """imaps://user%40example.com:password@imap.example.com:993/INBOX"""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise ValueError("INBOUND_IMAP_URL entries look like imaps://user:password@host/INBOX")
        ssl = parts.scheme == "imaps"
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if ssl else 143),
            ssl=ssl,
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )

    @property
    def label(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)
    if client.has_capability("MOVE"):
        client.move([uid], folder)
    else:
        client.copy([uid], folder)
        client.delete_messages([uid])
        client.expunge([uid])


def fetch_mailbox(url: str) -> list[int]:
    """Store every message of the mailbox's folder; the ids of the new InboundEmail rows."""
    mailbox = Mailbox.from_url(url)
    stored = []
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.ssl, timeout=30) as client:
        client.login(mailbox.username, mailbox.password)
        client.select_folder(mailbox.folder)
        uids = client.search("ALL")
        for start in range(0, len(uids), _BATCH):
            batch = uids[start : start + _BATCH]
            for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items():
                raw = data[b"BODY[]"]
                try:
                    inbound = services.inbound_email_store(raw=raw, mailbox=mailbox.label)
                except Exception:
                    logger.exception("Could not store message %s of %s", uid, mailbox.label)
                    _move(client, uid, FAILED_FOLDER)
                    continue
                _move(client, uid, PROCESSED_FOLDER)
                if inbound is not None:
                    stored.append(inbound.pk)
    return stored
