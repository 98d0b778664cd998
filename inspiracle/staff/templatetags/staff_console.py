"""Template helpers for the staff console."""

from django import template
from django.urls import reverse

from inspiracle.accounts import permissions
from inspiracle.reports.models import Report
from inspiracle.staff.forms import note_form_for
from inspiracle.staff.services import note_list

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """``{% if user|can:"accounts.verify" %}``: show a link only to roles that may follow it (MOD-7)."""
    if capability not in {c for caps in permissions.CAPABILITIES.values() for c in caps}:
        # A mistyped name would hide a link silently; fail loudly in development and tests instead.
        raise template.TemplateSyntaxError(f"unknown capability {capability!r}")
    return permissions.has_capability(user, capability)


@register.inclusion_tag("staff/_notes.html", takes_context=True)
def staff_notes(context, subject):
    """``{% staff_notes work %}``: the internal notes on a work or report and the form to add one, for staff
    pages of other apps (the review page, the staff report page). Nothing for a role that may not read them."""
    user = context["request"].user
    needed = permissions.REPORTS_HANDLE if isinstance(subject, Report) else permissions.STAFF_CONSOLE
    if not permissions.has_capability(user, needed):
        return {"hidden": True}
    kind, key = ("report", subject.reference) if isinstance(subject, Report) else ("work", subject.pk)
    return {
        "notes": note_list(user, subject),
        "note_form": note_form_for(context["request"], subject=f"{kind}:{key}"),
        "action": reverse("staff:note-add", args=[kind, key]),
        "csrf_token": context.get("csrf_token"),
    }
