from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Account deletion, ownership transfer, closing a customer and the data export. An
    app of its own (label "privacy") so that its tables and migrations stand apart."""

    name = "accounts.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
