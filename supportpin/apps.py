from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPinConfig(AppConfig):
    name = "supportpin"
    verbose_name = _("Support PIN")

    def ready(self) -> None:
        # Registers the system checks of the PIN's configuration.
        from supportpin import checks  # noqa: F401
