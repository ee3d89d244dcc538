from django.utils.translation import gettext_lazy as _

from accounts.mfa.forms import CodeForm


class MobileCodeForm(CodeForm):
    """The code sent to a new mobile number; checked and counted by the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the SMS")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.fields["code"].help_text = _("6 digits, e.g. 123 456.")
