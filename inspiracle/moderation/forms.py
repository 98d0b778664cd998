from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.moderation.models import Decision
from inspiracle.moderation.reasons import CHOICES


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (k.value, k.label)
            for k in (Decision.Kind.APPROVE, Decision.Kind.REJECT, Decision.Kind.CORRECTION)
        ],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=_("Reason (when rejecting)"), choices=[("", "—"), *CHOICES], required=False
    )
    message = forms.CharField(
        label=_("Message to the creator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when asking for a correction: say what to change."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
