"""Agreement pages: read any version at a stable address, compare two, accept the ones in force."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from inspiracle.agreements import selectors
from inspiracle.agreements.diff import text_diff
from inspiracle.agreements.models import Consent
from inspiracle.agreements.rendering import render_markdown
from inspiracle.agreements.services import consent_reaccept
from inspiracle.core.errors import ApplicationError, NotFound


def index(request):
    return render(request, "agreements/index.html", {"versions": selectors.versions_in_force()})


def _show(request, version, *, stable: bool):
    versions = selectors.version_list_for_public(version.document.slug)
    return render(
        request,
        "agreements/version.html",
        {
            "version": version,
            "body": render_markdown(version.text()),
            "versions": versions,
            "standing": selectors.version_standing(version),
            "stable": stable,
            "previous": next((v for v in versions if v.number < version.number), None),
        },
    )


def document(request, slug):
    """The stable address of a document: always the version in force today (AGR-2)."""
    current = next((v for v in selectors.versions_in_force() if v.document.slug == slug), None)
    if current is None:
        selectors.document_get(slug)
        raise NotFound(_("This agreement has no version in force yet."))
    return _show(request, current, stable=True)


def version(request, slug, number):
    return _show(request, selectors.version_get(slug, number), stable=False)


def diff(request, slug):
    document = selectors.document_get(slug)
    versions = selectors.version_list_for_public(slug)
    try:
        new_number = int(request.GET.get("to") or versions[0].number)
        old_number = int(request.GET.get("from") or max(new_number - 1, 1))
    except (ValueError, IndexError):
        raise NotFound(_("Choose two versions to compare.")) from None
    old, new = selectors.version_get(slug, old_number), selectors.version_get(slug, new_number)
    lines = text_diff(old.text(), new.text())
    return render(
        request,
        "agreements/diff.html",
        {
            "document": document,
            "old": old,
            "new": new,
            "lines": lines,
            "versions": versions,
        },
    )


@login_required
def accept(request):
    """Agree to versions that need explicit acceptance (AGR-4). Until then the account is browse-only."""
    status = selectors.gate_status(request.user)
    if request.method == "POST" and status.missing:
        try:
            consent_reaccept(user=request.user, accepted=request.POST.getlist("accept"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. You have accepted the agreements in force."))
            return redirect(_next_page(request) or "accounts:me")
    changes = []
    for version in status.missing:
        accepted = (
            Consent.objects.filter(user=request.user, version__document=version.document)
            .order_by("-version__number")
            .select_related("version")
            .first()
        )
        changes.append(
            {
                "version": version,
                "body": render_markdown(version.text()),
                "previous": accepted.version if accepted else None,
            }
        )
    return render(request, "agreements/accept.html", {"changes": changes, "next": _next_page(request)})


def _next_page(request) -> str:
    """Where the user was when the gate sent them here: a page of this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return target
    return ""
