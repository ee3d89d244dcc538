from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.phone import normalize_mobile
from supportpin.models import AssistedAction
from supportpin.pin import DIGITS, normalize_pin
from tickets.models import Category, Ticket


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
    NEW_REQUEST = "new"

    kind = forms.ChoiceField(label=_("Action"), choices=AssistedAction.Kind.choices)
    detail = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer reads this in their panel and in an email."),
    )
    request = forms.ChoiceField(
        label=_("Request"),
        required=False,
        help_text=_("The action also appears in the request's conversation and history."),
    )
    category = forms.ModelChoiceField(
        label=_("Category of the new request"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
    )

    def __init__(self, *args: object, open_requests: Sequence[Ticket] = (), **kwargs: object):
        super().__init__(*args, **kwargs)
        self.open_requests = {str(ticket.pk): ticket for ticket in open_requests}
        self.fields["request"].choices = [
            ("", _("Not tied to a request")),
            *((pk, str(ticket)) for pk, ticket in self.open_requests.items()),
            (self.NEW_REQUEST, _("Open a new request")),
        ]
        if self.open_requests and not self.is_bound:
            self.fields["request"].initial = next(iter(self.open_requests))

    def clean(self) -> dict:
        data = super().clean()
        choice = data.get("request")
        data["ticket"] = self.open_requests.get(choice) if choice else None
        if choice == self.NEW_REQUEST and not data.get("category"):
            self.add_error("category", _("Choose the category of the new request."))
        if choice != self.NEW_REQUEST:
            data["category"] = None
        return data
