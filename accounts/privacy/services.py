"""Account deletion, ownership transfer, closing a customer account and the data export.

Every write is one transaction with an AccountEvent and, for a deletion, a Deletion row
for staff. A login is deleted at once, not after a grace period (README, "Privacy"): its
personal data is erased in place and the row stays, nameless, so that the customer's
requests keep an author ("Former member")."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import device_classes

from accounts.activity.services import sessions_end_others
from accounts.models import (
    AccountEvent,
    Customer,
    LoginAttempt,
    MobileVerification,
    TwoFactorState,
    User,
)
from accounts.privacy.models import DataExport, Deletion
from portal.exceptions import Refusal
from portal.mail import email_user
from supportpin.models import AssistedAction, PinEvent, SupportPin, VerificationAttempt
from tickets.models import Attachment, PendingUpload, Ticket


class OwnerMustTransfer(Refusal):
    pass


class ExportRefused(Refusal):
    pass


class NotAMember(Refusal):
    pass


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _record(
    *, user: User, kind: str, actor: User | None, ip_address: str | None = None, **detail: object
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, detail=detail, ip_address=ip_address
    )


def other_logins(user: User) -> list[User]:
    """The other logins of the user's customer that are in use or invited, not deleted."""
    if user.customer_id is None:
        return []
    return list(
        User.objects.filter(customer_id=user.customer_id, erased_at__isnull=True)
        .exclude(role="")
        .exclude(pk=user.pk)
        .order_by("full_name", "pk")
    )


def _delete_files(queryset: QuerySet, *fields: str) -> None:
    for row in queryset:
        for field in fields:
            stored = getattr(row, field)
            if stored:
                stored.delete(save=False)
    queryset.delete()


def _erase(user: User, *, at: datetime) -> None:
    """Erase the personal data of a login in place (the caller holds the transaction).

    Gone: name, email, mobile, password, every 2FA device and the 2FA state, the Support
    PIN secret and its PIN events, kept uploads, exports, and the addresses and details of
    its account events. A new password hash and is_active=False end every session at its
    next request and refuse every login; the changed email and password make every link
    sent before (activation, reset, email change, invitation) invalid. Kept: the row's
    id, its customer, the dates, and the requests and messages it wrote."""
    for model in device_classes():
        model.objects.filter(user=user).delete()
    TwoFactorState.objects.filter(user=user).delete()
    MobileVerification.objects.filter(user=user).delete()
    SupportPin.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(has_active_support_pin=False)
    PinEvent.objects.filter(user=user).delete()
    _delete_files(PendingUpload.objects.filter(owner=user), "file")
    _delete_files(DataExport.objects.filter(user=user), "file")
    AccountEvent.objects.filter(user=user).update(detail={}, ip_address=None)
    # Sign-ins have no legal minimum (README, Privacy): the history goes with the login,
    # and every session of it ends now rather than at its next request.
    LoginAttempt.objects.filter(user=user).delete()
    sessions_end_others(user=user, keep_session_id=None, acting_user=None)
    user.username = f"former-{user.pk}"
    user.email = f"former-{user.pk}@deleted.invalid"
    user.full_name = ""
    user.mobile = ""
    user.mobile_verified_at = None
    user.email_bounced_at = None
    user.is_active = False
    user.role = ""
    for name in User.CUSTOMER_PERMISSIONS:
        setattr(user, name, False)
    user.set_unusable_password()
    user.erased_at = at
    user.save()


@transaction.atomic
def login_delete(*, user: User, ip_address: str | None = None) -> None:
    """A customer's login deletes itself. The owner of a customer with other logins must
    transfer ownership first; the owner alone closes the customer account instead."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at:
        return
    if user.is_customer_owner:
        if other_logins(user):
            raise OwnerMustTransfer(
                _(
                    "You own the customer account: give the ownership to another person "
                    "first, or close the whole customer account."
                )
            )
        customer_close(owner=user, ip_address=ip_address)
        return
    now = timezone.now()
    # Rendered now, to the address about to be erased, and sent once this commits.
    email_user(user, "accounts/privacy/email/login_deleted", username=user.username)
    _erase(user, at=now)
    _record(user=user, kind=AccountEvent.Kind.LOGIN_DELETED, actor=user)
    Deletion.objects.create(
        scope=Deletion.Scope.LOGIN,
        status=Deletion.Status.ERASED,
        login=user,
        customer_id=user.customer_id,
        customer_number=user.customer.contract_number or "" if user.customer_id else "",
    )


@transaction.atomic
def ownership_transfer(*, owner: User, new_owner: User, ip_address: str | None = None) -> None:
    """The owner makes another login of the customer the owner and becomes a member."""
    owner = User.objects.select_for_update().get(pk=owner.pk)
    new_owner = User.objects.select_for_update().get(pk=new_owner.pk)
    if (
        not owner.is_customer_owner
        or new_owner.customer_id != owner.customer_id
        or new_owner.role != User.Role.MEMBER
        or not new_owner.is_active
        or new_owner.erased_at
    ):
        raise NotAMember(_("Choose an active member of your customer account."))
    owner.role = User.Role.MEMBER
    new_owner.role = User.Role.OWNER
    # The former owner keeps seeing what an owner saw, until the new owner decides.
    for name in User.CUSTOMER_PERMISSIONS:
        setattr(owner, name, True)
    owner.save(update_fields=["role", *User.CUSTOMER_PERMISSIONS])
    new_owner.save(update_fields=["role"])
    for user in (owner, new_owner):
        _record(
            user=user,
            kind=AccountEvent.Kind.OWNERSHIP_TRANSFERRED,
            actor=owner,
            ip_address=ip_address,
            from_login=owner.username,
            to_login=new_owner.username,
        )
    email_user(
        new_owner,
        "accounts/privacy/email/ownership_received",
        former_owner=owner.get_full_name(),
        people_url=_absolute(reverse("accounts:people")),
    )


@transaction.atomic
def customer_close(*, owner: User, ip_address: str | None = None) -> Customer:
    """The owner closes the customer account: every login of it is deleted as a member's
    is; its requests, messages and attachments stay without names until
    DATA_RETENTION_DAYS have passed, then the beat job purges them."""
    owner = User.objects.select_for_update().get(pk=owner.pk)
    if not owner.is_customer_owner:
        raise OwnerMustTransfer(_("Only the owner can close the customer account."))
    customer = Customer.objects.select_for_update().get(pk=owner.customer_id)
    now = timezone.now()
    number = customer.contract_number or ""
    logins = list(User.objects.filter(customer=customer, erased_at__isnull=True).order_by("pk"))
    for login in logins:
        email_user(
            login,
            "accounts/privacy/email/customer_closed",
            username=login.username,
            customer_name=customer.name,
            days=settings.DATA_RETENTION_DAYS,
        )
    _record(user=owner, kind=AccountEvent.Kind.CUSTOMER_CLOSED, actor=owner)
    for login in logins:
        _erase(login, at=now)
        _record(user=login, kind=AccountEvent.Kind.LOGIN_DELETED, actor=owner)
    Ticket.objects.filter(customer=customer).update(browser="", device="")
    customer.name = ""
    customer.closed_at = now
    customer.save(update_fields=["name", "closed_at"])
    Deletion.objects.create(
        scope=Deletion.Scope.CUSTOMER,
        status=Deletion.Status.KEPT,
        login=owner,
        customer=customer,
        customer_number=number,
        requested_by_owner=True,
        purge_after=now + timedelta(days=settings.DATA_RETENTION_DAYS),
    )
    return customer


def customers_due_for_purge(at: datetime) -> list[int]:
    cutoff = at - timedelta(days=settings.DATA_RETENTION_DAYS)
    return list(
        Customer.objects.filter(closed_at__isnull=False, closed_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def customer_purge(*, customer_id: int) -> bool:
    """Delete a closed customer whose retention has run out: its requests with their
    messages and files, its erased logins and the customer itself. Runs twice harmlessly."""
    customer = Customer.objects.select_for_update().filter(pk=customer_id).first()
    if customer is None or customer.closed_at is None:
        return False
    if customer.closed_at > timezone.now() - timedelta(days=settings.DATA_RETENTION_DAYS):
        return False
    logins = User.objects.filter(customer=customer)
    files = Attachment.objects.filter(ticket__customer=customer)
    paths = [(a.file, a.thumbnail) for a in files]
    Ticket.objects.filter(customer=customer).delete()
    AssistedAction.objects.filter(user__in=logins).delete()
    VerificationAttempt.objects.filter(user__in=logins).delete()
    logins.delete()
    Deletion.objects.filter(customer=customer).update(
        status=Deletion.Status.PURGED, purged_at=timezone.now()
    )
    customer.delete()
    # The files go once the rows are gone for good.
    transaction.on_commit(lambda: [f.delete(save=False) for pair in paths for f in pair if f])
    return True


# --- The data export ------------------------------------------------------------------


@transaction.atomic
def data_export_request(*, user: User, ip_address: str | None = None) -> DataExport:
    """Queue a "Download my data" ZIP: one at a time, DATA_EXPORTS_PER_DAY a day."""
    from accounts.privacy.tasks import build_data_export

    User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    exports = DataExport.objects.filter(user=user)
    if exports.filter(status=DataExport.Status.PENDING).exists():
        raise ExportRefused(
            _("Your data is being prepared; we will email you the link when it is ready.")
        )
    if (
        exports.filter(created_at__gt=now - timedelta(days=1)).count()
        >= settings.DATA_EXPORTS_PER_DAY
    ):
        raise ExportRefused(
            _("You can download your data %(count)d times a day. Please try again tomorrow.")
            % {"count": settings.DATA_EXPORTS_PER_DAY}
        )
    export = DataExport.objects.create(user=user)
    _record(
        user=user, kind=AccountEvent.Kind.DATA_EXPORT_REQUESTED, actor=user, ip_address=ip_address
    )
    transaction.on_commit(lambda: build_data_export.delay(export.pk))
    return export


def data_export_build(*, export_id: int) -> bool:
    """Build (or rebuild, after a crash) the export's ZIP, then mark it ready and email the
    link, once. The ZIP is written outside the transaction; the state change is atomic."""
    from accounts.privacy.export import write_export_zip

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return False
    name, size = write_export_zip(export)
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.status != DataExport.Status.PENDING:
            return False
        now = timezone.now()
        export.file.name = name
        export.size = size
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + timedelta(hours=settings.DATA_EXPORT_HOURS)
        export.save()
        email_user(
            export.user,
            "accounts/privacy/email/export_ready",
            link=_absolute(reverse("accounts:privacy_export_download", args=[export.token])),
            hours=settings.DATA_EXPORT_HOURS,
        )
    return True


def data_export_fail(*, export_id: int) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED
    )


def exports_due_for_expiry(at: datetime) -> list[int]:
    return list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=at).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def data_export_expire(*, export_id: int) -> bool:
    """Delete an export's file once its link has expired. Runs twice harmlessly."""
    export = DataExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.READY:
        return False
    if export.expires_at > timezone.now():
        return False
    name = export.file.name
    if name:
        transaction.on_commit(lambda: export.file.storage.delete(name))
    export.file = ""
    export.status = DataExport.Status.EXPIRED
    export.save(update_fields=["file", "status"])
    return True
