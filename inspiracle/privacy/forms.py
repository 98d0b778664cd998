from django import forms
from django.utils.translation import gettext_lazy as _


class CancelForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm it is you. Nothing is deleted before the cooling-off period ends."),
    )
