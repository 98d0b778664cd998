"""The review queue in the staff console (MOD-1, MOD-2, UX-3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.core.errors import ApplicationError
from inspiracle.core.views import add_errors
from inspiracle.moderation import selectors, services
from inspiracle.moderation.forms import DecisionForm
from inspiracle.moderation.models import Decision
from inspiracle.reasons import CHOICES
from inspiracle.works.models import Category, Work
from inspiracle.works.selectors import work_files, work_matches
from inspiracle.works.services import work_upload_ip_open


@login_required
def queue(request):
    filters = {key: request.GET.get(key, "").strip() for key in ("category", "flag", "uploader")}
    works = selectors.review_queue(request.user, **filters)
    page = Paginator(works, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "categories": Category.choices,
        "flags": selectors.FLAGS,
        "reasons": CHOICES,
    }
    return render(request, "moderation/queue.html", context)


@login_required
def item(request, work_id):
    require_capability(request.user, STAFF_CONSOLE)
    work = get_object_or_404(Work.objects.select_related("owner__profile"), pk=work_id)
    form = DecisionForm(request.POST or None, initial={"revision": work.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(actor=request.user, work=work, **form.cleaned_data)
        except ApplicationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Decided: “%(title)s”.") % {"title": work.title})
            return redirect("moderation:queue")
    claim = selectors.claim_of(work)
    files = work_files(work)
    context = {
        "work": work,
        "upload_ip": work_upload_ip_open(actor=request.user, work=work),
        "files": files,
        "searching": any(f.searching for f in files),
        "matches": work_matches(work),
        "claim": claim,
        "held_by_other": claim is not None
        and claim.moderator_id != request.user.pk
        and not services.claim_expired(claim, timezone.now()),
        "history": selectors.mark_states(selectors.uploader_history(work.owner)),
        "form": form,
        "reasons": CHOICES,
        "latest_decision_id": work.decisions.filter(reversed_at__isnull=True)
        .values_list("pk", flat=True)
        .first(),
    }
    return render(request, "moderation/item.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def claim(request, work_id):
    require_capability(request.user, STAFF_CONSOLE)
    work = get_object_or_404(Work, pk=work_id)
    try:
        services.review_claim(actor=request.user, work=work)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("moderation:item", work_id)


@require_POST
@login_required
def act(request, work_id):
    """MOD-4: take down or mask a published work."""
    require_capability(request.user, STAFF_CONSOLE)
    work = get_object_or_404(Work, pk=work_id)
    action = request.POST.get("action", "")
    given = {
        "reason_code": request.POST.get("reason_code", ""),
        "message": request.POST.get("message", ""),
        "strike": bool(request.POST.get("strike")),
    }
    try:
        if action == "takedown":
            services.content_take_down(actor=request.user, work=work, **given)
        else:
            part, _sep, file_id = action.partition(":")
            services.content_mask(
                actor=request.user,
                work=work,
                part=part,
                file_id=int(file_id) if file_id.isdigit() else None,
                **given,
            )
    except ApplicationError as exc:
        messages.error(request, " ".join([str(exc.message), *[m for ms in exc.fields.values() for m in ms]]))
    else:
        messages.success(request, _("Done: “%(title)s”.") % {"title": work.title})
    return redirect("moderation:item", work_id)


@require_POST
@login_required
def bulk(request):
    require_capability(request.user, STAFF_CONSOLE)
    ids = [int(value) for value in request.POST.getlist("works") if value.isdigit()][:200]
    works = list(Work.objects.filter(pk__in=ids).order_by("submitted_at", "pk"))
    try:
        done, skipped = services.review_bulk(
            actor=request.user,
            works=works,
            kind=request.POST.get("kind", ""),
            reason_code=request.POST.get("reason_code", ""),
            message=request.POST.get("message", ""),
            strike=bool(request.POST.get("strike")),
        )
    except ApplicationError as exc:
        messages.error(request, " ".join([str(exc.message), *[m for ms in exc.fields.values() for m in ms]]))
    else:
        messages.success(request, _("%(n)d works decided.") % {"n": len(done)})
        for work, why in skipped:
            messages.warning(request, f"“{work.title}”: {why}")
    return redirect("moderation:queue")


@require_POST
@login_required
def reverse(request, decision_id):
    require_capability(request.user, STAFF_CONSOLE)
    decision = get_object_or_404(Decision, pk=decision_id)
    try:
        services.decision_reverse(
            actor=request.user, decision=decision, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The decision is undone; the work is back in the queue."))
    return redirect("moderation:item", decision.work_id)
