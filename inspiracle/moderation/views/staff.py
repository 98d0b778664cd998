"""Staff moderation of accounts in the console (UX-3): sanctions (MOD-5), strikes and appeals (MOD-6).

Each form posts to a view that calls one service; a refusal goes back onto the form that was filled in, with
the status the API would answer, and nothing is changed.
"""

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import (
    SANCTIONS_SEVERE,
    STAFF_CONSOLE,
    has_capability,
    require_capability,
)
from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors
from inspiracle.moderation import forms, selectors, services
from inspiracle.moderation.models import Appeal
from inspiracle.moderation.permissions import (
    access_appeal_for_staff,
    access_sanction_for_staff,
    access_strike_for_staff,
    can_handle_appeal,
)
from inspiracle.moderation.services.sanctions import SEVERE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _run(request, form, call, success):
    """Call the service with the form's data. Returns (its result, 200), or (None, the status to answer) with
    the reasons on the form."""
    if not form.is_valid():
        return None, 400
    try:
        result = call(**form.cleaned_data)
    except ApplicationError as exc:
        add_errors(form, exc)
        return None, exc.status
    messages.success(request, success)
    return result, 200


def _posted(request, name: str):
    """The POST data when the page's form called ``name`` was sent, else None (an unbound form)."""
    return request.POST if request.method == "POST" and request.POST.get("form") == name else None


def _account_page(request, subject, status=200, *, sanction_form=None, strike_form=None, failed=None):
    severe = has_capability(request.user, SANCTIONS_SEVERE)
    context = {
        "subject": subject,
        "record": selectors.account_moderation(subject),
        "sanction_form": sanction_form or forms.SanctionForm(severe=severe),
        "strike_form": strike_form or forms.StrikeForm(),
        # Only a role that may apply a termination or reclaim is offered to end one.
        "locked_kinds": () if severe else SEVERE,
        "failed": failed or {},
    }
    return render(request, "moderation/staff_account.html", context, status=status)


@login_required
def account(request, username):
    require_capability(request.user, STAFF_CONSOLE)
    subject = get_object_or_404(User, username=username.lower())
    severe = has_capability(request.user, SANCTIONS_SEVERE)
    sanction_form = forms.SanctionForm(_posted(request, "sanction"), severe=severe)
    strike_form = forms.StrikeForm(_posted(request, "strike"))
    done, status = None, 200
    if sanction_form.is_bound:
        apply = partial(services.sanction_apply, actor=request.user, user=subject)
        done, status = _run(request, sanction_form, apply, _("The measure is applied; the user is told."))
    elif strike_form.is_bound:
        record = partial(services.strike_record, actor=request.user, user=subject)
        done, status = _run(request, strike_form, record, _("The strike is recorded; the user is told."))
    if done is not None:
        # A reclaim renames the account: follow it to its new name.
        return redirect("moderation_staff:account", done.user.username)
    return _account_page(request, subject, status, sanction_form=sanction_form, strike_form=strike_form)


@require_POST
@login_required
def sanction_lift(request, sanction_id):
    sanction = access_sanction_for_staff(request.user, sanction_id)
    form = forms.LiftForm(request.POST)
    lift = partial(services.sanction_lift, actor=request.user, sanction=sanction)
    done, status = _run(request, form, lift, _("The measure is lifted; the user is told."))
    if done is not None:
        return redirect("moderation_staff:account", done.user.username)
    return _account_page(request, sanction.user, status, failed={"sanction": sanction.pk, "form": form})


@require_POST
@login_required
def strike_resolve(request, strike_id):
    strike = access_strike_for_staff(request.user, strike_id)
    form = forms.StrikeResolveForm(request.POST)
    resolve = partial(services.strike_resolve, actor=request.user, strike=strike)
    done, status = _run(request, form, resolve, _("The strike is resolved; the user is told."))
    if done is not None:
        return redirect("moderation_staff:account", strike.user.username)
    return _account_page(request, strike.user, status, failed={"strike": strike.pk, "form": form})


@login_required
def appeals(request):
    status = request.GET.get("status", "")
    status = status if status in Appeal.Status.values else Appeal.Status.OPEN
    page = Paginator(selectors.appeal_queue(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/staff_appeals.html", {"page": page, "status": status})


# The appeal page's forms: the service each one calls, the keyword naming the staff member, what to say.
# name: (form, service, the service's argument for the staff member, what success says)
APPEAL_ACTIONS: "dict[str, tuple[type[Form], Callable[..., object], str, StrOrPromise]]" = {
    "take": (
        forms.AppealTakeForm,
        services.appeal_take,
        "actor",
        gettext_lazy("You handle this appeal now."),
    ),
    "reply": (
        forms.AppealReplyForm,
        services.appeal_reply,
        "author",
        gettext_lazy("Your message is sent; the user is told."),
    ),
    "decide": (
        forms.AppealDecideForm,
        services.appeal_decide,
        "actor",
        gettext_lazy("The appeal is decided; the user is told."),
    ),
}


@login_required
def appeal(request, appeal_id):
    appeal = access_appeal_for_staff(request.user, appeal_id)
    bound = {name: action[0](_posted(request, name)) for name, action in APPEAL_ACTIONS.items()}
    status = 200
    for name, (_form_class, service, who, success) in APPEAL_ACTIONS.items():
        if bound[name].is_bound:
            call = partial(service, appeal=appeal, **{who: request.user})
            done, status = _run(request, bound[name], call, success)
            if done is not None:
                return redirect("moderation_staff:appeal", appeal.pk)
    context = {
        "appeal": appeal,
        "exchange": selectors.appeal_messages(appeal),
        "can_handle": can_handle_appeal(request.user, appeal),
        **{f"{name}_form": form for name, form in bound.items()},
    }
    return render(request, "moderation/staff_appeal.html", context, status=status)
