"""A user's own standing and appeals (MOD-5, MOD-6): the measures on their account and works, and the one
appeal each measure allows, with its written exchange. A user whom a measure keeps from signing in reaches
their appeal through the signed pass the sign-in page hands out."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors
from inspiracle.moderation import selectors, services
from inspiracle.moderation.permissions import (
    access_appeal_for_appellant,
    access_measure_for_appeal,
    access_sanction_by_pass,
)
from inspiracle.moderation.services.appeals import TEXT_LIMIT


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("Your statement"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Say why the measure is wrong and add anything staff should know. At most 4,000 characters. "
            "A measure can be appealed once; you can write more in the exchange afterwards."
        ),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )


@login_required
def standing(request):
    return render(request, "moderation/standing.html", selectors.standing_page_for_user(request.user))


@login_required
def appeal_new(request, kind, measure_id):
    measure = access_measure_for_appeal(request.user, kind, measure_id)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_open(
                user=request.user, target=measure, statement=form.cleaned_data["statement"]
            )
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Your appeal is sent. You will be notified of every reply and of the outcome.")
            )
            return redirect("standing:appeal", appeal.pk)
    context = {"measure": selectors.measure_detail_for_user(measure), "form": form}
    return render(request, "moderation/appeal_new.html", context, status=400 if form.errors else 200)


@login_required
def appeal(request, appeal_id):
    appeal = access_appeal_for_appellant(request.user, appeal_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_reply(author=request.user, appeal=appeal, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            return redirect("standing:appeal", appeal.pk)
    context = {**selectors.appeal_detail_for_appellant(appeal), "form": form}
    return render(request, "moderation/appeal.html", context, status=400 if form.errors else 200)


@never_cache  # the address carries the pass: no copy of this page in any cache
def blocked(request, token):
    """MOD-6 for a user who cannot sign in: the measure that stops them, and its appeal. Whoever holds the
    pass acts as its user here, and only here: the pass signs nobody in."""
    sanction = access_sanction_by_pass(token)
    detail = selectors.measure_detail_for_user(sanction)
    appeal = detail["appeal"]
    form = (ReplyForm if appeal else AppealForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if appeal is None:
                services.appeal_open(user=sanction.user, target=sanction, **form.cleaned_data)
            else:
                services.appeal_reply(author=sanction.user, appeal=appeal, **form.cleaned_data)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            return redirect("standing:blocked", token=token)
    context = {
        "measure": detail,
        "form": form,
        "exchange": selectors.appeal_messages(appeal) if appeal else [],
    }
    return render(request, "moderation/blocked.html", context, status=400 if form.errors else 200)
