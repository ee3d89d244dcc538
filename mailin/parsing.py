"""Reading an inbound email: who sent it, what it says without the quoted history, its
files, and whether it is machine-sent mail that must never be answered. Pure: bytes in,
a ParsedEmail out."""

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import html2text
from mailparser_reply import EmailReplyParser

# "On <date>, <name> wrote:" in the languages mail-parser-reply does not know. Greek
# clients write "Στις <date>, ο/η <name> έγραψε:", Slovak ones "<date> <name> napísal(a):"
# or "Dňa <date> <name> napísal:". A header may be wrapped over two lines.
_QUOTE_HEADERS = [
    re.compile(r"^[^\S\n]*Στις\s[^\n]{0,200}(?:\n[^\n]{0,200})?έγραψε\s*:[^\S\n]*$", re.M),
    re.compile(
        r"^[^\S\n]*Dňa\s[^\n]{0,200}(?:\n[^\n]{0,200})?napísal\w*(?:\(a\))?\s*:[^\S\n]*$", re.M
    ),
    re.compile(r"^[^\n]{0,200}\snapísal\w*(?:\(a\))?\s*:[^\S\n]*$", re.M),
]
_REPLY_LANGUAGES = ["en", "it", "de", "fr", "es", "cs", "pl", "nl"]
_BULK_PRECEDENCE = {"bulk", "list", "junk"}
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


@dataclass(frozen=True)
class EmailFile:
    name: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str
    sender: str
    subject: str
    text: str
    recipients: list[str]
    in_reply_to: str
    is_automatic: bool
    is_bounce: bool
    bounced_recipient: str
    files: list[EmailFile] = field(default_factory=list)


def parse(raw: bytes) -> ParsedEmail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 (the default policy's class)
    sender = _address(message.get("From", ""))
    is_bounce = _is_bounce(message, sender)
    return ParsedEmail(
        message_id=str(message.get("Message-ID", "")).strip(),
        sender=sender,
        subject=" ".join(str(message.get("Subject", "")).split()),
        text=reply_text(_body_text(message)),
        recipients=_recipients(message),
        in_reply_to=f"{message.get('In-Reply-To', '')} {message.get('References', '')}",
        is_automatic=is_bounce or _is_automatic(message),
        is_bounce=is_bounce,
        bounced_recipient=_bounced_recipient(message) if is_bounce else "",
        files=[] if is_bounce else _files(message),
    )


def _address(header: object) -> str:
    _name, address = parseaddr(str(header))
    return address.strip().lower()


def _recipients(message: EmailMessage) -> list[str]:
    headers = [
        str(value)
        for name in ("To", "Cc", "Delivered-To", "X-Original-To")
        for value in message.get_all(name, [])
    ]
    return [address.lower() for _name, address in getaddresses(headers) if address]


def _is_automatic(message: EmailMessage) -> bool:
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in _BULK_PRECEDENCE:
        return True
    if message.get("List-Id") or message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    return_path = message.get("Return-Path")
    return return_path is not None and str(return_path).strip() in ("<>", "")


def _is_bounce(message: EmailMessage, sender: str) -> bool:
    if message.get_content_type() == "multipart/report":
        return True
    return bool(_BOUNCE_SENDERS.match(sender))


def _bounced_recipient(message: EmailMessage) -> str:
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            text = part.as_string()
            match = re.search(r"Final-Recipient:\s*[^;]+;\s*(\S+)", text, re.IGNORECASE)
            if match:
                return match.group(1).strip().lower()
    return ""


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _decoded_text(part)
    if part.get_content_type() == "text/html":
        # Never rendered as HTML anywhere: an HTML-only email becomes text here.
        converter = html2text.HTML2Text()
        converter.ignore_images = True
        converter.body_width = 0
        content = converter.handle(content)
    return content


def _decoded_text(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def reply_text(text: str) -> str:
    """The new words of a reply: quoted history and signature cut."""
    text = text.replace("\r\n", "\n")
    for header in _QUOTE_HEADERS:
        match = header.search(text)
        if match:
            text = text[: match.start()]
    parsed = EmailReplyParser(languages=_REPLY_LANGUAGES).parse_reply(text)
    return (parsed if parsed is not None else text).strip()


def _files(message: EmailMessage) -> list[EmailFile]:
    files = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        content = part.get_payload(decode=True) or b""
        files.append(EmailFile(name=name, content=content))
    return files
