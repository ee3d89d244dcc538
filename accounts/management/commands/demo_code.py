"""The current authenticator-app code of a demo staff login, for trying `make run` without
a phone. Only the demo logins made by seed_demo: a real login's codes come from its app."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current authenticator-app code of a demo staff login (seed_demo)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        device = TOTPDevice.objects.filter(
            user__username__iexact=username,
            user__email__endswith="@demo.example.com",
            confirmed=True,
        ).first()
        if device is None:
            raise CommandError(
                _("No demo login with an authenticator app is called %s.") % username
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
