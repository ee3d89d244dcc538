from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.phone import normalize_mobile
from supportpin.models import AssistedAction
from supportpin.pin import DIGITS, normalize_pin


class ActivateWithMobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        help_text=_("International format, e.g. +30 691 234 5678. The PIN is sent only here."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])


class LoginSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Contract number, username, email or mobile"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class PinCheckForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN read out by the caller"),
        max_length=9,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_pin(self) -> str:
        pin = normalize_pin(self.cleaned_data["pin"])
        if pin is None:
            raise ValidationError(
                ngettext(
                    "The Support PIN has %(digits)d digit.",
                    "The Support PIN has %(digits)d digits.",
                    DIGITS,
                )
                % {"digits": DIGITS}
            )
        return pin


class AssistedActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=AssistedAction.Kind.choices)
    detail = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer reads this in their panel and in an email."),
    )
