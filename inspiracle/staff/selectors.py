from django.db.models import QuerySet

from inspiracle.accounts.permissions import AUDIT_READ, require_capability
from inspiracle.audit.models import AuditEvent


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
