from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.activity import flows  # noqa: F401  (the receivers of the login signals)
        from accounts.mobile import texts
        from sms.purposes import register_purpose

        task = "accounts.tasks.send_account_sms"
        register_purpose(texts.MOBILE_CODE, _("Mobile number verification"), task=task)
        register_purpose(texts.MOBILE_CHANGE_NOTICE, _("Mobile change notice"), task=task)
        register_purpose(texts.TWO_FACTOR_CODE, _("Login code by SMS"), task=task)
