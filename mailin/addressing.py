"""The addresses and Message-IDs that tie an email to a request.

Pure apart from the settings it reads on each call: nothing here imports tickets. A reply
address carries the reference and an HMAC of it (`support+T-26-00123.5f2c...@domain`), so
that an address cannot be made up for another request; Message-IDs carry the reference so
that a reply's In-Reply-To points back to its request.
"""

import re
import uuid

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "mailin.reply-address"
REFERENCE = re.compile(r"T-\d{2}-\d{5,}")
SUBJECT_REFERENCE = re.compile(r"\[(T-\d{2}-\d{5,})\]")
_SIGNED_LOCAL = re.compile(r"^[^+@]+\+(T-\d{2}-\d{5,})\.([0-9a-f]{16})$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<(T-\d{2}-\d{5,})(?:\.[0-9a-f]+)?@([^>]+)>", re.IGNORECASE)


def reply_domain() -> str:
    return settings.INBOUND_REPLY_DOMAIN.strip().lower()


def _signature(reference: str) -> str:
    return salted_hmac(_SALT, reference.upper()).hexdigest()[:16]


def reply_address(reference: str) -> str:
    """The Reply-To of the request's notifications, or "" when replies are off."""
    domain = reply_domain()
    if not domain:
        return ""
    return f"{settings.INBOUND_REPLY_LOCAL_PART}+{reference}.{_signature(reference)}@{domain}"


def reference_from_address(address: str) -> str | None:
    """The reference of a signed reply address of our domain, None for anything else."""
    local, _at, domain = address.strip().lower().rpartition("@")
    if not local or domain != reply_domain():
        return None
    match = _SIGNED_LOCAL.match(local)
    if match is None:
        return None
    reference = match.group(1).upper()
    if not constant_time_compare(match.group(2), _signature(reference)):
        return None
    return reference


def thread_root_id(reference: str) -> str:
    """The Message-ID of the first notification of a request; later ones refer to it."""
    return f"<{reference}@{message_id_domain()}>"


def new_message_id(reference: str) -> str:
    return f"<{reference}.{uuid.uuid4().hex}@{message_id_domain()}>"


def message_id_domain() -> str:
    return reply_domain() or "localhost"


def reference_from_message_ids(header: str) -> str | None:
    """The last reference found in In-Reply-To/References among our own Message-IDs."""
    found = None
    for reference, domain in _MESSAGE_ID.findall(header or ""):
        if domain.lower() == message_id_domain():
            found = reference.upper()
    return found


def reference_from_subject(subject: str) -> str | None:
    match = SUBJECT_REFERENCE.search(subject or "")
    return match.group(1).upper() if match else None


def notification_headers(reference: str, *, first: bool) -> tuple[dict[str, str], str]:
    """Headers and Reply-To for a notification about the request `reference`."""
    if first:
        headers = {"Message-ID": thread_root_id(reference)}
    else:
        root = thread_root_id(reference)
        headers = {
            "Message-ID": new_message_id(reference),
            "In-Reply-To": root,
            "References": root,
        }
    return headers, reply_address(reference)
