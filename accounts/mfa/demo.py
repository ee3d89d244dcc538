"""Demo authenticator apps for the demo staff, so that `make run` opens the admin: the
admin asks staff for a second factor, and seed_demo prints the secrets to add to an app."""

from base64 import b32encode

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


def seed_demo(*, stdout) -> None:
    staff = User.objects.filter(is_staff=True, email__endswith="@demo.example.com")
    lines = []
    for user in staff.order_by("username"):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="Demo authenticator app", confirmed=True
            )
        secret = b32encode(device.bin_key).decode()
        lines.append(f"  {user.username:<18} {secret}")
    if lines:
        stdout.write(
            "Staff give a code from an authenticator app after their password. Add these "
            f"secrets to an app (account: {settings.SITE_NAME}, time-based, 6 digits):"
        )
        for line in lines:
            stdout.write(line)
        stdout.write("Without an app: .venv/bin/python manage.py demo_code agent")
