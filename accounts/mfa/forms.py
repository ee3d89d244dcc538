from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.mfa.methods import Method


class CodeForm(forms.Form):
    """A code typed by hand. Its shape and value are checked by the service, which counts
    every refusal; the form only carries it."""

    code = forms.CharField(label=_("Code"), max_length=40, strip=True)

    def __init__(self, *args, method: Method | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["code"].widget
        widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        )
        if method is not None:
            self.fields["code"].help_text = method.prompt
            if method.key != "recovery":
                widget.attrs["inputmode"] = "numeric"
            else:
                self.fields["code"].label = _("Recovery code")


class SecondStepForm(CodeForm):
    remember = forms.BooleanField(label=_("Remember this browser"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.TWO_FACTOR_REMEMBER_DAYS
        self.fields["remember"].label = ngettext(
            "Remember this browser for %(days)s day (do not tick on a shared computer)",
            "Remember this browser for %(days)s days (do not tick on a shared computer)",
            days,
        ) % {"days": days}


class PasswordAndCodeForm(forms.Form):
    """The password again and, where 2FA is on, a code: re-authentication, and turning
    off the last method."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("A code from your authenticator app, your email or a recovery code"),
        max_length=40,
        required=False,
    )

    def __init__(self, *args, code_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if code_required:
            self.fields["code"].required = True
            self.fields["code"].widget.attrs.update(
                {"autocomplete": "one-time-code", "autocapitalize": "off"}
            )
        else:
            del self.fields["code"]


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this passkey"),
        max_length=64,
        help_text=_("So that you can tell your keys apart, e.g. “Work laptop” or “Blue key”."),
    )


class DefaultMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Ask me first for"), widget=forms.RadioSelect)

    def __init__(self, *args, methods: list[Method], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.key, m.label) for m in methods]
