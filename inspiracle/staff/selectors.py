from django.db.models import Count, Prefetch, QuerySet

from inspiracle.accounts.permissions import AUDIT_READ, require_capability
from inspiracle.audit.models import AuditEvent
from inspiracle.works.models import Work, WorkFile


def audit_list_for_staff(
    user, *, action: str = "", actor: str = "", target: str = ""
) -> QuerySet[AuditEvent]:
    """The audit log for legal officers and administrators (AUD-1), newest first."""
    require_capability(user, AUDIT_READ)
    events = AuditEvent.objects.order_by("-seq")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label=actor.lower())
    if target:
        events = events.filter(target_label=target)
    return events


def work_list_for_staff(*, status: str) -> QuerySet[Work]:
    """Works in one state, oldest first (the first uploaded waits longest), with what a reviewer looks at."""
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")
    return (
        Work.objects.filter(status=status if status in Work.Status.values else Work.Status.AWAITING_REVIEW)
        .select_related("owner__profile")
        .prefetch_related(Prefetch("files", queryset=ready, to_attr="ready_files"))
        .annotate(match_count=Count("files__matches", distinct=True))
        .order_by("submitted_at", "uploaded_at", "pk")
    )
