"""Demo data for `manage.py seed_demo`: an active Support PIN for the demo owners with a
mobile, and a few checks and actions by a demo agent. Safe to run again."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from supportpin.crypto import decrypt_secret
from supportpin.models import AssistedAction, SupportPin, VerificationAttempt
from supportpin.pin import support_pin_for
from supportpin.services import (
    assisted_action_record,
    support_pin_activate,
    support_pin_verify,
)


def seed_demo(*, stdout) -> None:
    owners = User.objects.filter(
        role=User.Role.OWNER, is_staff=False, is_active=True, customer__isnull=False
    ).exclude(mobile="")
    agent = (
        User.objects.filter(is_staff=True, is_active=True).order_by("is_superuser", "pk").first()
    )
    for owner in owners:
        with transaction.atomic():
            if not SupportPin.objects.filter(user=owner, is_active=True).exists():
                support_pin_activate(user=owner, acting_user=owner)
                stdout.write(f"Support PIN activated for {owner.username}")
            if agent is None or VerificationAttempt.objects.filter(user=owner).exists():
                continue
            support_pin_verify(user=owner, pin="000000", agent=agent)
            support_pin = SupportPin.objects.get(user=owner)
            pin = support_pin_for(decrypt_secret(support_pin.encrypted_secret), timezone.now())
            support_pin_verify(user=owner, pin=pin, agent=agent)
            assisted_action_record(
                user=owner,
                agent=agent,
                kind=AssistedAction.Kind.DNS_RECORDS,
                detail="Demo: added an MX record for the customer's domain.",
            )
            assisted_action_record(
                user=owner,
                agent=agent,
                kind=AssistedAction.Kind.PLESK_SETTINGS,
                detail="Demo: raised PHP memory_limit to 256M in Plesk.",
            )
            stdout.write(f"Demo PIN checks and actions recorded for {owner.username}")
