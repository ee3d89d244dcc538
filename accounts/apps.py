from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django_otp import device_classes

        from accounts.activity import flows  # noqa: F401  (the receivers of the login signals)
        from accounts.mfa import services as mfa_services
        from accounts.mobile import texts
        from sms.purposes import register_purpose

        # Whoever writes a device (our services, django-otp's admin, the passkey views),
        # the login's copy of "has a second factor" follows.
        for model in device_classes():
            post_save.connect(mfa_services.device_saved, sender=model)
            post_delete.connect(mfa_services.device_deleted, sender=model)

        task = "accounts.tasks.send_account_sms"
        register_purpose(texts.MOBILE_CODE, _("Mobile number verification"), task=task)
        register_purpose(texts.MOBILE_CHANGE_NOTICE, _("Mobile change notice"), task=task)
        register_purpose(texts.TWO_FACTOR_CODE, _("Login code by SMS"), task=task)
