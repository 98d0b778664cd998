from django import forms
from django.utils.translation import gettext_lazy as _

from inspiracle.works.models import AIUse, Category


class WorkForm(forms.Form):
    """The work's details; its files come from the multiple-file input the template renders itself."""

    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Up to 10, separated by commas.")
    )
    ai_use = forms.ChoiceField(
        label=_("Did you use AI to make it?"),
        choices=AIUse.choices,
        widget=forms.RadioSelect,
        initial=AIUse.NONE,
    )
    repost_allowed = forms.BooleanField(
        label=_("Others may repost it, naming me as the author and linking to it"), required=False
    )
    no_ai_training = forms.BooleanField(
        label=_("No AI training: ask crawlers and AI companies not to train on this work"),
        required=False,
        initial=True,
    )


class WorkEditForm(WorkForm):
    open_to_licensing = forms.BooleanField(
        label=_("Open to licensing requests: brands and creators may ask me for a licence on this work"),
        required=False,
    )


class UploadForm(WorkForm):
    rights_confirmed = forms.BooleanField(
        label=_("I own this work, or its owner authorized me to upload it, and it infringes nobody's rights"),
        required=False,
    )
