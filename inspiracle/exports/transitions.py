"""The one owner of ``Export.status``: each change is a named transition with its audit event (AUD-1), written
by ``export_transition`` alone, inside the caller's transaction with the row locked."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.exports.models import Export

S = Export.Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    action: str
    stamp: str = ""  # the ``<event>_at`` field it sets


# A build claims a pending export, or takes back one whose worker died (its claim went stale).
BUILD = Transition(frozenset({S.PENDING, S.BUILDING}), S.BUILDING, "exports.build_started")
READY = Transition(frozenset({S.BUILDING}), S.READY, "exports.built", "built_at")
FAIL = Transition(frozenset({S.PENDING, S.BUILDING}), S.FAILED, "exports.failed", "failed_at")
EXPIRE = Transition(frozenset({S.READY}), S.EXPIRED, "exports.expired", "expired_at")


def export_transition(
    *, export: Export, transition: Transition, now: datetime | None = None, **changes: Any
) -> Export:
    """Move ``export`` along ``transition`` (409 ``invalid_state`` when it may not start from its status), set
    ``changes`` with it, save after ``full_clean`` and audit. The actor is the owner: every transition is
    theirs or the platform's work on their behalf, and the audit names no file, only the export's id."""
    if export.status not in transition.sources:
        raise ApplicationError(
            _("This archive is “%(status)s” now; reload the page to see its current state.")
            % {"status": export.get_status_display()},
            code="invalid_state",
            status=409,
        )
    now = now or timezone.now()
    for name, value in changes.items():
        setattr(export, name, value)
    if transition.stamp:
        setattr(export, transition.stamp, now)
    export.status = transition.target
    export.full_clean()
    export.save()
    audit_record(
        action=transition.action,
        actor=export.user,
        target=export,
        data={"steps": export.steps_total, "size": export.size, "attempt": export.attempts},
    )
    return export
