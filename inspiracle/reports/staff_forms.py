"""The staff console's forms for reports: deciding a report (RPT-7), a counter-notice (RPT-8) and a rights
holder profile (RPT-13). Each gives the keyword arguments of its service; the service checks the rest."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.reports.models import Category, ReportItem
from inspiracle.reports.services.decisions import KEEP, LICENCE, RECLAIM, TAKEDOWN

DECIDE_FORM_ID = "decide"


def _yes_no(label, yes, no) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("1", yes), ("0", no)],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


def item_actions(item: ReportItem, category: str) -> list[tuple[str, str]]:
    """What an upheld report can do with one address: a work is taken down or partly masked, an account
    reclaimed when it impersonates (MOD-5), and anything can be kept. Where the rights holder offers a licence
    instead (RPT-15), sending it comes first: it is what they asked for."""
    if item.account_id:
        reclaim = [(RECLAIM, _("Reclaim the account (rename and lock it)"))]
        return [*(reclaim if category == Category.IMPERSONATION else []), (KEEP, _("Keep the profile"))]
    files = [
        (f"mask:file:{f.pk}", _("Mask file %(n)d (%(name)s)") % {"n": n, "name": f.original_name})
        for n, f in enumerate(getattr(item.work, "ready_files", []), start=1)
        if not f.masked_at
    ]
    licence = [
        (
            LICENCE,
            _("Offer the rights holder's licence (if it is not agreed, take the work down with a strike)"),
        )
    ]
    return [
        *(licence if item.remedy == ReportItem.Remedy.LICENCE and category == Category.IP else []),
        (TAKEDOWN, _("Take down the whole work")),
        ("mask:title", _("Mask the title")),
        ("mask:description", _("Mask the description")),
        *files,
        (KEEP, _("Keep the work")),
    ]


class ReportDecideForm(forms.Form):
    """Uphold with an action per address, or reject; the reasons go to the reporter. The action fields
    (``actions.<item id>``) are shown beside their addresses, outside the ``<form>`` element and tied to it by
    the HTML ``form`` attribute: each item gets its bound field as ``item.action_field``."""

    uphold = _yes_no(
        gettext_lazy("Decision"),
        gettext_lazy("Uphold: act on each address as chosen beside it"),
        gettext_lazy("Reject: nothing changes"),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons, sent to the reporter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, items: list[ReportItem], category: str, **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            choices = item_actions(item, category)
            self.fields[f"actions.{item.pk}"] = forms.ChoiceField(
                label=_("What to do with %(url)s") % {"url": item.url},
                choices=choices,
                initial=choices[0][0],
                widget=forms.Select(attrs={"form": DECIDE_FORM_ID}),
            )
            item.action_field = self[f"actions.{item.pk}"]

    def decision(self) -> dict:
        data = self.cleaned_data
        actions = {
            int(name.removeprefix("actions.")): value
            for name, value in data.items()
            if name.startswith("actions.")
        }
        return {"uphold": data["uphold"], "reasons": data["reasons"], "actions": actions}


class CounterNoticeDecideForm(forms.Form):
    restore = _yes_no(
        gettext_lazy("Decision"),
        gettext_lazy("Restore the content (the measure and its strike are undone)"),
        gettext_lazy("Refuse: the measure stands"),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons, sent to the uploader and the reporter"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def decision(self) -> dict:
        return self.cleaned_data


class ProfileDecideForm(forms.Form):
    verify = _yes_no(
        gettext_lazy("Decision"),
        gettext_lazy("Verify: reports may reuse this identity and proof while it is valid"),
        gettext_lazy("Refuse"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason, sent to the rights holder (required when refusing)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def decision(self) -> dict:
        return self.cleaned_data
