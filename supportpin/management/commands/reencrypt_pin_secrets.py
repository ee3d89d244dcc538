from django.core.management.base import BaseCommand

from supportpin.services import support_pin_secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Encrypt every Support PIN secret with the first key of FIELD_ENCRYPTION_KEY, so that "
        "the keys after it can be removed (README, 'Rotating the keys'). The PINs do not change."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = support_pin_secrets_reencrypt()
        self.stdout.write(f"{count} Support PIN secrets encrypted with the first key.")
