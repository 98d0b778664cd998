"""The forms of the messaging pages. Limits are the services' own; the forms only carry what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.core.forms import MultipleFileField
from inspiracle.messaging.services.abuse import NOTE_LIMIT, REASON_LIMIT
from inspiracle.messaging.services.threads import BODY_LIMIT, TOPIC_LIMIT

FILES_HELP = _("Up to 5 files: PDF, JPEG or PNG, each checked for malware. Optional.")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Your name, address and phone number are not shown to the other person; think before you write "
            "them here."
        ),
    )
    # The form's metaclass moves declared fields into base_fields: this does not replace BaseForm.files.
    files = MultipleFileField(label=_("Attachments"), help_text=FILES_HELP)  # type: ignore[assignment]
    # Where to go back to after sending, when the thread is shown on another page (a licensing request).
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


class DirectMessageForm(MessageForm):
    topic = forms.CharField(
        label=_("Subject"),
        max_length=TOPIC_LIMIT,
        help_text=_("The conversation's title, shown to both of you."),
    )
    field_order = ["topic", "body", "files"]


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Harassment, threats, spam, fraud: say what happened. Staff read the conversation."),
    )


class DirectMessagesSettingForm(forms.Form):
    accepts_direct = forms.BooleanField(
        label=_("Let other users start a conversation with me from my profile"),
        required=False,
        help_text=_(
            "Conversations about licensing requests and deals are always possible. Turning this off keeps the "
            "conversations you already have."
        ),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("dismiss", _("Dismiss: nothing wrong")),
            ("action", _("Act: hide the reported message, or close a reported conversation")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the record (staff only)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
