"""The forms of the repost pages; the services check everything again and say what is wrong."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspiracle.reposts.models import MAX_MONTHS, MESSAGE_MAX, NAME_MAX, PURPOSE_MAX, URL_MAX


def _months_help() -> str:
    # Formatted when the page is drawn, in its language: a lazy string formatted here, at import, would be
    # English on every page.
    return gettext("From 1 to %(max)d months; or give an end date instead.") % {"max": MAX_MONTHS}


class AskForm(forms.Form):
    name = forms.CharField(
        label=_("Your name or organization"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("The creator sees it, and it is shown on the permission. Empty: your username."),
    )
    site_url = forms.CharField(
        label=_("Where (the address of the site or page)"),
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/blog/"}),
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=PURPOSE_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    months = forms.IntegerField(
        label=_("Term in months"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=lazy(_months_help, str)(),
    )
    ends_on = forms.DateField(
        label=_("Or: until (end date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class CodeForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput, max_length=254)
    code = forms.CharField(label=_("The six-digit code from the email"), max_length=12)


class AnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the asker (optional)"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
