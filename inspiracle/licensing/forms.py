"""The forms of the licensing request pages (COM-1, COM-2).

The terms are checked by the services (``terms_parse``), which name every wrong field at once; these forms only
carry what was typed to the service and back to the page, so their fields are lenient and named like the terms.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.licensing.models import Proposal
from inspiracle.licensing.terms import ALL, DIMENSIONS, FEE_LABELS, FeeModel, Kind
from inspiracle.works.models import Work

SCOPE_LABELS = {
    "product_categories": _("Product categories"),
    "territories": _("Territories"),
    "channels": _("Sales channels"),
}


def _scope(name: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=SCOPE_LABELS[name],
        required=False,
        choices=[(ALL, _("All")), *DIMENSIONS[name].choices],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )


def _day(label) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _amount(name: str) -> forms.CharField:
    return forms.CharField(
        label=FEE_LABELS[name], required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class TermsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
        help_text=_("An exclusive licence keeps everyone else from the same rights for its term."),
    )
    intended_use = forms.CharField(
        label=_("Intended use"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_("What the work would be used for: the products, the campaign, the quantities."),
    )
    product_categories = _scope("product_categories")
    territories = _scope("territories")
    channels = _scope("channels")
    starts_on = _day(_("Term starts on"))
    ends_on = _day(_("Term ends on"))
    fee_model = forms.ChoiceField(
        label=_("Fee model"),
        required=False,
        choices=FeeModel.choices,
        widget=forms.RadioSelect(attrs={"class": "choices"}),
        help_text=_("Amounts in CNY. A royalty is a share of the net sales of the licensed products."),
    )
    flat_fee = _amount("flat_fee")
    minimum_guarantee = _amount("minimum_guarantee")
    royalty_percent = _amount("royalty_percent")
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def terms(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in Proposal.TERM_FIELDS}


def terms_initial(proposal: Proposal) -> dict[str, Any]:
    """A proposal's terms as the form's starting values (a counter-proposal starts from the latest one)."""
    initial = {**proposal.terms, "message": ""}
    for name, choices in DIMENSIONS.items():
        if set(initial[name]) == set(choices.values):
            initial[name] = [ALL]
    return initial


class WorkChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Work) -> str:
        return obj.shown_title


class RequestForm(TermsForm):
    """COM-1: a new request: which of the creator's works, and the first proposal."""

    works = WorkChoiceField(
        label=_("Works"),
        required=False,
        queryset=Work.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
        help_text=_("One request can cover several works of the same creator."),
    )
    field_order = ["works"]

    def __init__(self, *args, works, **kwargs):
        super().__init__(*args, **kwargs)
        works_field = self.fields["works"]
        assert isinstance(works_field, forms.ModelMultipleChoiceField)
        works_field.queryset = works
        self.fields["message"].label = _("Message to the creator (optional)")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other party reads it."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw this request; nothing will have been agreed"))


class AcceptForm(forms.Form):
    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
