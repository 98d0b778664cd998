from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.agreements.models import Document
from inspiracle.staff.models import NOTE_MAX_CHARS


class DocumentChoiceField(forms.ModelChoiceField):
    """Agreements by their title in the reader's language, not their slug."""

    def label_from_instance(self, obj: Document) -> str:
        return obj.title


class PublishForm(forms.Form):
    document = DocumentChoiceField(
        label=_("Agreement"), queryset=Document.objects.all(), empty_label=_("Choose an agreement")
    )
    file_zh = forms.FileField(label=_("Chinese text (Markdown file)"), required=False)
    file_en = forms.FileField(label=_("English text (Markdown file)"), required=False)
    text_zh = forms.CharField(
        label=_("…or paste the Chinese text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    text_en = forms.CharField(
        label=_("…or paste the English text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    summary_zh = forms.CharField(
        label=_("What changed (Chinese)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary_en = forms.CharField(
        label=_("What changed (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    effective_date = forms.DateField(
        label=_("Effective date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    requires_reacceptance = forms.BooleanField(
        label=_("Users must accept this version again before they can upload"), required=False
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Staff role"), choices=User.StaffRole.choices, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VerifyForm(forms.Form):
    verified = forms.BooleanField(label=_("Verified (badge shown)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Protected name"), max_length=80)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ScreeningTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=80)
    note = forms.CharField(label=_("Why it is listed"), max_length=200, required=False)


class CertificateDecisionForm(forms.Form):
    """REG-5: accept the scan shown, or refuse it with a reason the organization reads."""

    certificate = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("refuse", _("Refuse"))],
        error_messages={"required": _("Choose to accept or to refuse.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required to refuse: the organization reads it and uploads a new scan accordingly."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UserSearchForm(forms.Form):
    """Find an account by part of its username or display name, or (``personal``: roles that may read personal
    information) by its exact e-mail address or mobile number."""

    q = forms.CharField(label=_("Search for"), max_length=254, required=False)
    by = forms.ChoiceField(label=_("Search by"), initial="name", required=False)

    def __init__(self, *args, personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("name", _("Username or display name (part of it)"))]
        if personal:
            choices += [("email", _("Email address (exact)")), ("phone", _("Mobile number (exact)"))]
        cast(forms.ChoiceField, self.fields["by"]).choices = choices


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), max_length=80, required=False)
    actor = forms.CharField(label=_("Actor (username)"), max_length=150, required=False)
    target = forms.CharField(label=_("Target"), max_length=200, required=False)
    since = forms.DateField(
        label=_("From day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label=_("To day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New internal note"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seen by staff only; kept with your name and the time, never edited. At most 2,000 characters."
        ),
    )


# A refused note waits here for the page the form returns to (the user, work or report page), so that the
# page shows the errors with the text as it was typed: a redirect alone would lose both.
NOTE_DRAFT = "staff-note-draft"


def note_draft_keep(request, *, subject: str, form: NoteForm) -> None:
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    request.session[NOTE_DRAFT] = {"subject": subject, "text": form.data.get("text", ""), "errors": errors}


def note_form_for(request, *, subject: str) -> NoteForm:
    """The form of the notes on ``subject`` ("user:ana", "work:7"): empty, or the refused note once, bound to
    its text with its errors."""
    draft = request.session.get(NOTE_DRAFT)
    if not draft or draft.get("subject") != subject:
        return NoteForm()
    del request.session[NOTE_DRAFT]
    form = NoteForm(data={"text": draft["text"]})
    form.is_valid()  # the form's own errors again; a service's refusal is added below
    for field, messages in draft["errors"].items():
        for message in messages:
            if message not in form.errors.get(field, []):
                form.add_error(None if field == "__all__" else field, message)
    return form
