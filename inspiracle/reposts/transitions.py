"""The one owner of ``RepostPermission.status`` (WRK-12): a table of the owner's moves, each with the statuses
it starts from, where it ends, the ``<event>_at``/``_by`` pair it sets and the audit action that records it.
Expiry is not a move: it is derived from the end date (selectors.permission_state)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.reposts.models import RepostPermission

Status = RepostPermission.Status


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    event: str  # sets <event>_at and <event>_by
    action: str  # the audit action


MOVES = {
    "approve": Move((Status.REQUESTED,), Status.APPROVED, "approved", "repost.approved"),
    "decline": Move((Status.REQUESTED,), Status.DECLINED, "declined", "repost.declined"),
    "revoke": Move((Status.APPROVED,), Status.REVOKED, "revoked", "repost.revoked"),
}


def permission_transition(
    *, permission: RepostPermission, move: str, actor: User, now: datetime, message: str = ""
) -> RepostPermission:
    """Make ``move`` on the permission, locked, in the caller's transaction; 409 ``invalid_state`` when its
    status does not allow it (e.g. the 39 losers of 40 simultaneous approvals)."""
    edge = MOVES[move]
    with transaction.atomic():
        # Why the lock: two answers read at the same moment must not both pass the check below.
        locked = RepostPermission.objects.select_for_update().get(pk=permission.pk)
        if locked.status not in edge.sources:
            raise ApplicationError(
                _("This request is already %(status)s; it cannot be changed that way.")
                % {"status": locked.get_status_display().lower()},
                code="invalid_state",
                status=409,
            )
        before = locked.status
        locked.status = edge.target
        setattr(locked, f"{edge.event}_at", now)
        setattr(locked, f"{edge.event}_by", actor)
        if message:
            locked.owner_message = message
        locked.full_clean()
        locked.save()
        generation_bump("reposts")  # the work page's cached part lists the approved permissions
        audit_record(
            action=edge.action,
            actor=actor,
            target=locked,
            target_label=locked.reference,
            reason=message,
            data={"from": before, "to": edge.target, "work": locked.work_id, "site": locked.site_host},
        )
    return locked
