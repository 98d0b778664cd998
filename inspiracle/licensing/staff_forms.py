"""The staff console's licensing forms: annulling a deal, filtering the deal list and the register."""

from typing import TypedDict

from django import forms
from django.utils.translation import gettext_lazy


class AnnulKwargs(TypedDict):
    reason: str


class AnnulForm(forms.Form):
    """A legal officer annuls a deal (fraud, a court order, a mistake). Both parties read the reason."""

    reason = forms.CharField(
        label=gettext_lazy("Reason, sent to both parties"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm: the rights this deal granted are revoked, an exclusive mark it holds is lifted, and the "
            "parties no longer see each other's contact details. This cannot be undone."
        ),
    )

    def service_kwargs(self) -> AnnulKwargs:
        return {"reason": self.cleaned_data["reason"]}


class DealFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Deals"),
        required=False,
        choices=[
            ("all", gettext_lazy("All")),
            ("standing", gettext_lazy("In force")),
            ("annulled", gettext_lazy("Annulled")),
        ],
    )
    reference = forms.CharField(label=gettext_lazy("Deal reference"), required=False, max_length=16)


class RegisterFilterForm(forms.Form):
    work = forms.IntegerField(label=gettext_lazy("Work number"), required=False, min_value=1)
    exclusive = forms.BooleanField(label=gettext_lazy("Exclusive grants only"), required=False)
