from django.db.models import QuerySet

from inspiracle.accounts.permissions import AUDIT_READ, require_capability
from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_record


def audit_log_open(user, *, action: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    """The audit log for legal officers and administrators (AUD-1), newest first. The log holds IP addresses
    and user agents, so reading it is itself recorded (MOD-8)."""
    require_capability(user, AUDIT_READ)
    events = AuditEvent.objects.order_by("-seq")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label=actor.lower())
    audit_record(
        action="pii.viewed", actor=user, data={"what": "audit_log", "action": action, "actor": actor}
    )
    return events
