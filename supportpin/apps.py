from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPinConfig(AppConfig):
    name = "supportpin"
    verbose_name = _("Support PIN")
