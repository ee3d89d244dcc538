from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPinConfig(AppConfig):
    name = "supportpin"
    verbose_name = _("Support PIN")

    def ready(self) -> None:
        from sms.purposes import register_purpose
        from supportpin import checks  # noqa: F401 (registers the configuration's checks)
        from supportpin.sms import SMS_PURPOSE

        register_purpose(
            SMS_PURPOSE, _("Support PIN"), task="supportpin.tasks.send_support_pin_sms"
        )
