"""The register's forms: recording a request, deciding it, withdrawing it, filtering the list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.disclosure.models import DataKind, DisclosureRequest
from inspiracle.disclosure.services.requests import RequestInput
from inspiracle.pipeline.documents import Upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    authority = forms.CharField(label=_("Authority"), max_length=200, help_text=_("As named in its letter."))
    authority_reference = forms.CharField(label=_("The authority's reference number"), max_length=100)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    usernames = forms.CharField(
        label=_("Accounts (usernames)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by spaces, commas or new lines."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of data"), choices=DataKind.choices, widget=forms.CheckboxSelectMultiple
    )
    period_from = forms.DateField(label=_("Period from"), widget=DATE)
    period_to = forms.DateField(label=_("Period to"), widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    notice_prohibited = forms.BooleanField(
        label=_("The authority prohibits telling the affected users"), required=False
    )
    document = forms.FileField(
        label=_("Document received (PDF, JPEG or PNG)"), help_text=_("Stored encrypted; at most 10 MB.")
    )

    def service_input(self) -> RequestInput:
        data = self.cleaned_data
        upload = data["document"]
        return RequestInput(
            authority=data["authority"],
            legal_basis=data["legal_basis"],
            authority_reference=data["authority_reference"],
            usernames=data["usernames"],
            kinds=list(data["kinds"]),
            period_from=data["period_from"],
            period_to=data["period_to"],
            deadline=data["deadline"],
            notice_prohibited=data["notice_prohibited"],
            document=Upload("document", upload.name, upload),
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("all", _("All")), ("open", _("Open")), *DisclosureRequest.Status.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
