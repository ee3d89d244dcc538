from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpCentreConfig(AppConfig):
    name = "helpcentre"
    verbose_name = _("Help centre")
