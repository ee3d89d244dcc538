"""What "Download my data" puts in the ZIP: one JSON file per section, the attachments
the login can see, and a README.txt in the login's language that explains each file.

A section is a name, a builder and a description in SECTIONS."""

import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from accounts.mfa.methods import method_of
from accounts.models import AccountEvent, LoginAttempt, SignedInSession, User
from accounts.privacy.models import DataExport
from billing.models import ContractDocument, Invoice
from billing.selectors import contract_documents_of, invoices_of
from portal.storage import private_storage
from supportpin.models import AssistedAction, PinEvent, SupportPin
from tickets.models import Attachment, TicketEvent, TicketMessage
from tickets.selectors import tickets_visible_to

# Ticket events a customer is shown; assignment, internal notes and SLA warnings are staff's.
CUSTOMER_VISIBLE_EVENTS = (
    TicketEvent.Kind.CREATED,
    TicketEvent.Kind.CUSTOMER_REPLIED,
    TicketEvent.Kind.REPLIED,
    TicketEvent.Kind.STATUS_CHANGED,
    TicketEvent.Kind.PRIORITY_CHANGED,
    TicketEvent.Kind.CATEGORY_CHANGED,
)


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def profile(user: User) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "mobile": user.mobile,
        "mobile_verified_at": _when(user.mobile_verified_at),
        "language": user.language,
        "registered_at": _when(user.date_joined),
        "last_login_at": _when(user.last_login),
    }


def company(user: User) -> dict:
    customer = user.customer
    return {
        "customer": customer.name if customer else None,
        "contract_number": customer.contract_number if customer else None,
        "plan": customer.plan if customer else None,
        "role": user.role,
        "permissions": {
            name: user.has_customer_permission(name) for name in User.CUSTOMER_PERMISSIONS
        },
    }


def account_events(user: User) -> list[dict]:
    return [
        {"event": e.kind, "at": _when(e.created_at), "address": e.ip_address, "detail": e.detail}
        for e in AccountEvent.objects.filter(user=user).order_by("created_at", "id")
    ]


def login_history(user: User) -> list[dict]:
    return [
        {
            "at": _when(a.created_at),
            "outcome": a.outcome,
            "method": a.method,
            "address": a.ip_address,
            "browser": " ".join(filter(None, [a.browser_family, a.browser_version])),
            "system": a.system,
        }
        for a in LoginAttempt.objects.filter(user=user).order_by("created_at", "id")
    ]


def sessions(user: User) -> list[dict]:
    return [
        {
            "first_seen": _when(s.created_at),
            "last_active": _when(s.last_seen_at),
            "address": s.ip_address,
            "browser": " ".join(filter(None, [s.browser_family, s.browser_version])),
            "system": s.system,
        }
        for s in SignedInSession.objects.filter(user=user).order_by("created_at", "id")
    ]


def two_factor(user: User) -> list[dict]:
    # Names and dates only: no secret, key or code leaves the portal.
    return [
        {"method": method_of(device).key, "name": device.name, "confirmed": device.confirmed}
        for device in devices_for_user(user, confirmed=None)
    ]


def support_pin(user: User) -> dict:
    pin = SupportPin.objects.filter(user=user).first()
    return {
        "active": bool(pin and pin.is_active),
        "activated_at": _when(pin.activated_at) if pin else None,
        "events": [
            {"event": e.kind, "at": _when(e.created_at)}
            for e in PinEvent.objects.filter(user=user).order_by("created_at", "id")
        ],
        "assisted_actions": [
            {"action": a.kind, "detail": a.detail, "at": _when(a.created_at)}
            for a in AssistedAction.objects.filter(user=user).order_by("created_at", "id")
        ],
    }


def _visible_attachments(user: User):
    return Attachment.objects.filter(
        ticket__in=tickets_visible_to(user), message__is_internal=False
    ).select_related("ticket")


def attachment_path(attachment: Attachment) -> str:
    return f"attachments/{attachment.ticket.reference}/{attachment.pk}-{Path(attachment.name).name}"


def requests(user: User) -> list[dict]:
    tickets = list(
        tickets_visible_to(user).select_related("category", "requester").order_by("created_at")
    )
    ids = [t.pk for t in tickets]
    messages: dict[int, list] = {}
    for m in (
        TicketMessage.objects.filter(ticket_id__in=ids, is_internal=False)
        .select_related("author")
        .order_by("created_at", "id")
    ):
        messages.setdefault(m.ticket_id, []).append(m)
    events: dict[int, list] = {}
    for e in TicketEvent.objects.filter(ticket_id__in=ids, kind__in=CUSTOMER_VISIBLE_EVENTS):
        events.setdefault(e.ticket_id, []).append(e)
    files: dict[int, list] = {}
    for a in _visible_attachments(user).filter(ticket_id__in=ids):
        files.setdefault(a.message_id, []).append(a)
    return [
        {
            "reference": t.reference,
            "subject": t.subject,
            "category": t.category.name,
            "status": t.status,
            "priority": t.priority,
            "opened_by": t.requester.get_full_name(),
            "opened_at": _when(t.created_at),
            "messages": [
                {
                    "from_support": m.from_staff,
                    "author": m.author.get_short_name()
                    if m.from_staff
                    else m.author.get_full_name(),
                    "at": _when(m.created_at),
                    "text": m.body,
                    "attachments": [attachment_path(a) for a in files.get(m.pk, [])],
                }
                for m in messages.get(t.pk, [])
            ],
            "events": [
                {"event": e.kind, "from": e.old_value, "to": e.new_value, "at": _when(e.created_at)}
                for e in events.get(t.pk, [])
            ],
        }
        for t in tickets
    ]


def _invoices_visible(user: User) -> tuple[list[Invoice], list[ContractDocument]]:
    """The invoices and contract documents the login may open (its permission), else none."""
    if user.customer is None or not user.has_customer_permission("can_view_invoices"):
        return [], []
    return list(invoices_of(user.customer)), list(contract_documents_of(user.customer))


def invoice_path(invoice: Invoice) -> str:
    return f"invoices/{Path(invoice.number).name}.pdf"


def contract_document_path(document: ContractDocument) -> str:
    return f"invoices/contracts/{document.pk}-{Path(document.key).name}.pdf"


def invoices(user: User) -> dict:
    found_invoices, documents = _invoices_visible(user)
    return {
        "invoices": [
            {
                "number": i.number,
                "issued_on": _when(i.issued_on),
                "period": [_when(i.period_start), _when(i.period_end)],
                "due_on": _when(i.due_on),
                "amount": str(i.amount),
                "currency": i.currency,
                "status": i.status,
                "file": invoice_path(i),
            }
            for i in found_invoices
        ],
        "contract_documents": [
            {"title": d.title, "dated": _when(d.dated), "file": contract_document_path(d)}
            for d in documents
        ],
    }


@dataclass(frozen=True)
class Section:
    filename: str
    build: Callable[[User], object]
    description: str


SECTIONS = [
    Section("profile.json", profile, _("Your name, email address, mobile and language.")),
    Section(
        "company.json",
        company,
        _("The customer account you belong to, your role and your permissions."),
    ),
    Section(
        "account_events.json",
        account_events,
        _("Changes to your login and its sign-ins, with the address they came from."),
    ),
    Section(
        "login_history.json",
        login_history,
        _("Every attempt to log in to your login: when, how, from where and with which browser."),
    ),
    Section(
        "sessions.json",
        sessions,
        _("The devices signed in to your login now."),
    ),
    Section(
        "two_factor.json",
        two_factor,
        _("Your two-factor methods, by name only: no secret or code."),
    ),
    Section(
        "support_pin.json",
        support_pin,
        _("Your Support PIN's events and what our agents did for you after checking it."),
    ),
    Section(
        "requests.json",
        requests,
        _("The support requests you can see, with their messages and their history."),
    ),
    Section(
        "invoices.json",
        invoices,
        _(
            "The invoices and contract documents your login may open, with their PDFs in "
            "the invoices/ folder (none when the owner has not given you invoices)."
        ),
    ),
]


def write_export_zip(export: DataExport) -> tuple[str, int]:
    """Write the ZIP to the private files (the folder or the bucket), replacing the one of
    an earlier attempt; return its storage name and size. It is built in a temporary file,
    which vanishes with the process if it dies, and stored once complete."""
    user = export.user
    name = f"exports/{export.token}.zip"
    with tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR) as partial:
        with (
            translation.override(user.language),
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for section in SECTIONS:
                archive.writestr(
                    section.filename,
                    json.dumps(section.build(user), ensure_ascii=False, indent=2),
                )
            for attachment in _visible_attachments(user):
                with attachment.file.open("rb") as source:
                    archive.writestr(attachment_path(attachment), source.read())
            found_invoices, documents = _invoices_visible(user)
            for document, path_in_zip in [
                *((i, invoice_path(i)) for i in found_invoices),
                *((d, contract_document_path(d)) for d in documents),
            ]:
                with document.pdf.open("rb") as source:
                    archive.writestr(path_in_zip, source.read())
            archive.writestr(
                "README.txt",
                render_to_string(
                    "accounts/privacy/export_readme.txt",
                    {"user": user, "sections": SECTIONS, "SITE_NAME": settings.SITE_NAME},
                ),
            )
        size = partial.tell()
        partial.seek(0)
        private_storage.delete(name)  # an earlier attempt's, if any
        stored = private_storage.save(name, File(partial, name=name))
    return stored, size
