"""Form fields with no domain."""

from django import forms
from django.utils.translation import gettext_noop

# What Django puts after a field's label, and the endings after which it puts nothing. Django's own Chinese
# catalogue keeps the half-width ":"; named here, makemessages adds both to ours, where Chinese text has the
# full-width "：" (and a label ending in full-width punctuation gets none).
LABEL_SUFFIX_MESSAGES = (gettext_noop(":"), gettext_noop(":?.!"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files of one kind (a passport's pages, several certificates)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]
