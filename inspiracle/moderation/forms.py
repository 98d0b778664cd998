from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import Decision, Sanction, Strike
from inspiracle.moderation.services.sanctions import SEVERE
from inspiracle.reasons import ACCOUNT_CHOICES, CHOICES

MAX_DAYS = 3650  # ten years; longer is "until lifted" (no end)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (k.value, k.label)
            for k in (Decision.Kind.APPROVE, Decision.Kind.REJECT, Decision.Kind.CORRECTION)
        ],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason (when rejecting)"), choices=[("", "—"), *CHOICES], required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the creator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when asking for a correction: say what to change."),
    )
    strike = forms.BooleanField(
        label=gettext_lazy("Also record a strike on the creator's record (rejections only)"), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


def site_time(value: datetime | None) -> datetime | None:
    """A time without a zone is read in the site's time zone (Asia/Shanghai), whatever zone is active."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_default_timezone())


def sanction_end(
    *, starts_at: datetime | None, ends_at: datetime | None, days: int | None
) -> datetime | None:
    """The end of a measure from what staff entered: an end time, or a duration in days from the start (from
    now without a start). The service checks the rest (after the start, termination permanent)."""
    if days is None:
        return site_time(ends_at)
    if ends_at is not None:
        raise ApplicationError(
            _("No measure was applied; correct the fields marked below."),
            fields={"days": [_("Give either an end or a duration in days, not both.")]},
        )
    return (site_time(starts_at) or timezone.now()) + timedelta(days=days)


class SiteDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input (minute precision, no zone), read in the site's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(timezone.get_default_timezone()):
            return super().to_python(value)


class AccountPageForm(forms.Form):
    """The account page holds several forms: each kind gets its own element ids, so that every label points
    at its own input."""

    id_prefix = "account"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class SanctionForm(AccountPageForm):
    """MOD-5. Every kind validates (the service refuses a severe one to a role without the right, with the
    reason); the menu offers only the kinds the viewer's role may apply."""

    id_prefix = "sanction"
    kind = forms.ChoiceField(label=gettext_lazy("Measure"), choices=Sanction.Kind.choices)
    reason_code = forms.ChoiceField(label=gettext_lazy("Reason"), choices=[("", "—"), *ACCOUNT_CHOICES])
    message = forms.CharField(
        label=gettext_lazy("Message to the user"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent with the notice, next to the reason."),
    )
    starts_at = SiteDateTimeField(
        label=gettext_lazy("Start"),
        required=False,
        help_text=gettext_lazy("Beijing time (UTC+8). Empty: now."),
    )
    ends_at = SiteDateTimeField(
        label=gettext_lazy("End"),
        required=False,
        help_text=gettext_lazy("Beijing time (UTC+8). Empty, and no duration: until lifted."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("…or a duration in days"), required=False, min_value=1, max_value=MAX_DAYS
    )

    def __init__(self, *args, severe: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = [
            (value, label) for value, label in Sanction.Kind.choices if severe or value not in SEVERE
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        days = data.pop("days", None)
        try:
            data["ends_at"] = sanction_end(
                starts_at=data.get("starts_at"), ends_at=data.get("ends_at"), days=days
            )
        except ApplicationError as exc:
            self.add_error("days", exc.fields["days"])
        return data


class LiftForm(AccountPageForm):
    id_prefix = "lift"
    reason = forms.CharField(
        label=gettext_lazy("Why lift it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StrikeForm(AccountPageForm):
    id_prefix = "strike"
    reason_code = forms.ChoiceField(label=gettext_lazy("Reason"), choices=[("", "—"), *ACCOUNT_CHOICES])
    note = forms.CharField(
        label=gettext_lazy("Note to the user"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StrikeResolveForm(AccountPageForm):
    id_prefix = "resolve"
    status = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (Strike.Status.OVERRULED, gettext_lazy("Overrule: it should not have been given")),
            (Strike.Status.DISMISSED, gettext_lazy("Dismiss: it stays on record but no longer counts")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AppealTakeForm(forms.Form):
    """No fields: taking an appeal is one button; the form carries the refusal if there is one."""


class AppealReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message to the user"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AppealDecideForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            ("1", gettext_lazy("Uphold: undo the measure")),
            ("0", gettext_lazy("Deny: the measure stands")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=gettext_lazy("Reasons, sent to the user"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
