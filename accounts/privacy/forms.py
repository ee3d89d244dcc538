from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ConfirmLoginNameForm(forms.Form):
    """The login's name typed again: a deletion is not one click away."""

    username = forms.CharField(
        label=_("Type your login name to confirm"), max_length=150, strip=True
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["username"].widget.attrs["autocomplete"] = "off"

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"]
        if typed.lower() != self.user.username.lower():
            raise forms.ValidationError(_("This is not your login name."))
        return typed


class OwnershipTransferForm(forms.Form):
    member = forms.ChoiceField(label=_("New owner"))

    def __init__(self, *args, members: list[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            (str(m.pk), f"{m.get_full_name()} ({m.username})") for m in members
        ]
