"""Every write to accounts: one transaction each, an AccountEvent with the acting user,
emails queued on commit."""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import AccountEvent, Customer, User
from accounts.selectors import awaiting_activation
from accounts.tokens import activation_token, email_change_token, invitation_token
from portal.mail import email_nobody, email_user, send_templated_email


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _record(
    *,
    user: User,
    kind: str,
    actor: User | None,
    ip_address: str | None = None,
    **detail: object,
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user, actor=actor, kind=kind, detail=detail, ip_address=ip_address
    )


def _save_changes(user: User, values: Mapping[str, object]) -> dict[str, object]:
    """Save those of `values` that differ from the login's own; return them by field name."""
    changed = {name: value for name, value in values.items() if getattr(user, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(user, name, value)
        user.save(update_fields=list(changed))
    return changed


def _stand_in(email: str, language: str) -> User:
    """A login that does not exist, for a form given an address without one: the email it
    would get is rendered and queued all the same (see _email_or_pretend), so that the
    answer takes the same work and time as for an address with a login."""
    return User(email=email, username=email, language=language)


def _email_or_pretend(user: User, template_prefix: str, **context: object) -> None:
    if user.pk is None:
        email_nobody(user, template_prefix, **context)
    else:
        email_user(user, template_prefix, **context)


def activation_link(user: User) -> str:
    return _absolute(reverse("accounts:activate", args=[activation_token().make(user)]))


def _send_activation(user: User) -> None:
    _email_or_pretend(
        user,
        "accounts/email/activation",
        link=activation_link(user),
        days=settings.ACCOUNT_ACTIVATION_DAYS,
    )


@transaction.atomic
def customer_register(
    *,
    full_name: str,
    email: str,
    username: str,
    password: str,
    company_name: str,
    contract_number: str = "",
    language: str = "en",
    ip_address: str | None = None,
) -> User | None:
    """Create an inactive owner login and its Customer, and email the activation link.

    When the address already has an account nothing is created; that address is told
    instead, so that the page shown to the visitor reveals nothing.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Hash the password all the same: skipping it would make this answer faster than
        # a real registration, and the timing would tell that the address has an account.
        make_password(password)
        email_user(
            existing,
            "accounts/email/already_registered",
            login_url=_absolute(reverse("accounts:login")),
            reset_url=_absolute(reverse("accounts:password_reset")),
        )
        return None
    customer = Customer.objects.create(
        name=company_name or full_name, contract_number=contract_number or None
    )
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        language=language,
        customer=customer,
        role=User.Role.OWNER,
        is_active=False,
    )
    user.set_password(password)
    user.save()
    _record(user=user, kind=AccountEvent.Kind.REGISTERED, actor=user, ip_address=ip_address)
    _send_activation(user)
    return user


@transaction.atomic
def user_activate(*, token: str) -> User | None:
    """Activate the login a valid activation link names; None if the link is not valid."""
    checked = activation_token().check(token)
    if checked is None:
        return None
    user, _extra = checked
    if not awaiting_activation(User.objects.filter(pk=user.pk)).exists():
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(user=user, kind=AccountEvent.Kind.ACTIVATED, actor=user)
    return user


@transaction.atomic
def activation_resend(*, email: str, language: str) -> None:
    """Email a fresh activation link if `email` belongs to a login awaiting activation;
    otherwise do the same work and send nothing."""
    user = awaiting_activation(User.objects.filter(email__iexact=email)).first()
    _send_activation(user or _stand_in(email, language))


@transaction.atomic
def username_remind(*, email: str, language: str) -> None:
    """Email the username to the account's address; when there is no account, do the
    same work and send nothing."""
    user = User.objects.filter(email__iexact=email).first() or _stand_in(email, language)
    _email_or_pretend(
        user, "accounts/email/username_reminder", login_url=_absolute(reverse("accounts:login"))
    )


@transaction.atomic
def user_login_recorded(*, user: User, ip_address: str | None) -> None:
    _record(user=user, kind=AccountEvent.Kind.LOGGED_IN, actor=user, ip_address=ip_address)


def _profile_set(*, user: User, acting_user: User, **values: str) -> User:
    changed = _save_changes(user, values)
    if changed:
        _record(
            user=user,
            kind=AccountEvent.Kind.PROFILE_CHANGED,
            actor=acting_user,
            fields=list(changed),
        )
    return user


@transaction.atomic
def profile_update(*, user: User, acting_user: User, full_name: str, language: str) -> User:
    """Save the details of the profile page; a change is recorded only if there is one.
    The mobile is changed by accounts.mobile.services, once the new number is verified."""
    return _profile_set(user=user, acting_user=acting_user, full_name=full_name, language=language)


@transaction.atomic
def user_language_set(*, user: User, acting_user: User, language: str) -> User:
    """Make `language` the one the portal speaks to the login, in its pages, emails and SMS."""
    return _profile_set(user=user, acting_user=acting_user, language=language)


@transaction.atomic
def email_change_request(*, user: User, new_email: str, ip_address: str | None = None) -> None:
    """Send a confirmation link to the new address and a notice to the current one.

    Nothing changes until the link is followed. When the new address already belongs to
    another login, its holder is told instead of being sent a link, and the requester sees
    the same page as always, so the form reveals nothing about who has an account.
    """
    holder = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if holder is not None:
        email_user(holder, "accounts/email/email_in_use")
    else:
        token = email_change_token().make(user, e=new_email)
        send_templated_email(
            to=new_email,
            template_prefix="accounts/email/email_change_confirm",
            context={
                "user": user,
                "new_email": new_email,
                "link": _absolute(reverse("accounts:email_change_confirm", args=[token])),
                "hours": settings.ACCOUNT_EMAIL_CHANGE_HOURS,
            },
            language=user.language,
        )
    email_user(user, "accounts/email/email_change_notice", new_email=new_email)
    _record(
        user=user,
        kind=AccountEvent.Kind.EMAIL_CHANGE_REQUESTED,
        actor=user,
        ip_address=ip_address,
        new_email=new_email,
    )


class EmailTaken(Exception):
    """The new address belongs to another login by the time the link is followed."""


@transaction.atomic
def email_change_confirm(*, token: str) -> User | None:
    """Apply the email change a valid link names; None if the link is not valid."""
    checked = email_change_token().check(token)
    if checked is None:
        return None
    user, extra = checked
    new_email = extra.get("e", "")
    if not new_email:
        return None
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken(new_email)
    old_email = user.email
    user.email = new_email
    user.email_bounced_at = None
    user.save(update_fields=["email", "email_bounced_at"])
    _record(
        user=user,
        kind=AccountEvent.Kind.EMAIL_CHANGED,
        actor=user,
        old_email=old_email,
        new_email=new_email,
    )
    return user


@transaction.atomic
def password_reset_send(*, email: str, users: list[User], language: str) -> None:
    """Email the link of Django's password reset to each of `users` (those Django finds for
    `email`), like every other email: in the login's language, with the public address of
    SITE_URL rather than the request's Host header, and delivered by the task after commit.
    Without a login, the same email is rendered and queued for nobody, so that an address
    with an account gets its answer in the same time as one without."""
    minutes = max(1, settings.PASSWORD_RESET_TIMEOUT // 60)
    for user in users or [_stand_in(email, language)]:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        _email_or_pretend(
            user,
            "accounts/email/password_reset",
            link=_absolute(path),
            hours=minutes // 60 if minutes % 60 == 0 else None,
            minutes=minutes,
        )


@transaction.atomic
def password_changed(
    *, user: User, acting_user: User | None, ip_address: str | None = None
) -> None:
    """Record a password change (Django's views do the write) and tell the login's owner.

    `acting_user` is None for a reset from an emailed link, where nobody is logged in.
    """
    kind = (
        AccountEvent.Kind.PASSWORD_CHANGED
        if acting_user is not None
        else AccountEvent.Kind.PASSWORD_RESET
    )
    _record(user=user, kind=kind, actor=acting_user, ip_address=ip_address)
    email_user(
        user,
        "accounts/email/password_changed",
        reset_url=_absolute(reverse("accounts:password_reset")),
    )


@transaction.atomic
def member_invite(
    *,
    customer: Customer,
    acting_user: User,
    full_name: str,
    email: str,
    username: str,
    permissions: dict[str, bool],
) -> User | None:
    """Create an inactive member login and email them a link to choose a password.

    When the address already has a login nothing is created; its holder is told that
    someone at the customer tried to invite them, and the owner's page answers as for any
    invitation, so that it reveals nothing about who has a login.
    """
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None:
        email_user(holder, "accounts/email/invitation_address_in_use", customer=customer)
        return None
    member = User(
        username=username,
        email=email,
        full_name=full_name,
        language=acting_user.language,
        customer=customer,
        role=User.Role.MEMBER,
        is_active=False,
        **{name: bool(permissions.get(name)) for name in User.CUSTOMER_PERMISSIONS},
    )
    member.set_unusable_password()
    member.save()
    _record(user=member, kind=AccountEvent.Kind.MEMBER_INVITED, actor=acting_user)
    email_user(
        member,
        "accounts/email/invitation",
        inviter=acting_user,
        customer=customer,
        link=_absolute(
            reverse("accounts:invitation_accept", args=[invitation_token().make(member)])
        ),
        days=settings.ACCOUNT_INVITATION_DAYS,
    )
    return member


def invitation_check(*, token: str) -> User | None:
    checked = invitation_token().check(token)
    if checked is None:
        return None
    member, _extra = checked
    # A removed invitee keeps the state the link was signed with; only the role tells.
    if member.is_active or member.last_login is not None or member.role != User.Role.MEMBER:
        return None
    return member


@transaction.atomic
def invitation_accept(*, member: User, password: str) -> User:
    member.set_password(password)
    member.is_active = True
    member.save(update_fields=["password", "is_active"])
    _record(user=member, kind=AccountEvent.Kind.MEMBER_JOINED, actor=member)
    return member


@transaction.atomic
def member_update_permissions(
    *, member: User, acting_user: User, permissions: dict[str, bool]
) -> User:
    changed = _save_changes(
        member, {name: bool(permissions.get(name)) for name in User.CUSTOMER_PERMISSIONS}
    )
    if changed:
        _record(
            user=member,
            kind=AccountEvent.Kind.PERMISSIONS_CHANGED,
            actor=acting_user,
            **changed,
        )
    return member


@transaction.atomic
def member_remove(*, member: User, acting_user: User) -> None:
    """Close a member's login. The login is kept, inactive, for the records that name it."""
    member.is_active = False
    member.role = ""
    member.save(update_fields=["is_active", "role"])
    _record(
        user=member,
        kind=AccountEvent.Kind.MEMBER_REMOVED,
        actor=acting_user,
        removed_at=timezone.now().isoformat(),
    )
