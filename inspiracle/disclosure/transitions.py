"""The one owner of ``DisclosureRequest.status``: every change is a named transition of this table, with its
``<event>_at``/``_by`` fields and its audit event, written by ``disclosure_transition`` alone."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.disclosure.actions import Action
from inspiracle.disclosure.models import DisclosureRequest

NOW, BY = object(), object()  # in ``sets``: the transition's moment, the user making it
S = DisclosureRequest.Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    action: Action
    sets: tuple[tuple[str, Any], ...]


def _t(sources: list[str], target: str, action: Action, **sets: Any) -> Transition:
    return Transition(frozenset(sources), target, action, tuple(sets.items()))


APPROVE = _t([S.RECORDED], S.APPROVED, Action.APPROVED, approved_at=NOW, approved_by=BY)
REJECT = _t([S.RECORDED], S.REJECTED, Action.REJECTED, rejected_at=NOW, rejected_by=BY)
EXPORT = _t([S.APPROVED], S.EXPORTED, Action.EXPORTED, exported_at=NOW)
# The export and its key go with the delivery: downloadable once (PRV-5).
DELIVER = _t(
    [S.EXPORTED],
    S.DELIVERED,
    Action.DELIVERED,
    delivered_at=NOW,
    delivered_by=BY,
    export_file="",
    export_key="",
)
WITHDRAW = _t(
    [S.RECORDED, S.APPROVED, S.EXPORTED],
    S.WITHDRAWN,
    Action.WITHDRAWN,
    withdrawn_at=NOW,
    withdrawn_by=BY,
    export_file="",
    export_key="",
)


def disclosure_transition(
    *,
    obj: DisclosureRequest,
    transition: Transition,
    by: User | None = None,
    now: datetime | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Move ``obj`` along ``transition`` (409 if it may not start from its status), save it and write the audit
    event. Call it inside the caller's transaction with the row locked (``select_for_update``)."""
    if obj.status not in transition.sources:
        raise ApplicationError(
            _("This request is “%(status)s” now, so this cannot be done; reload the page to see its state.")
            % {"status": obj.get_status_display()},
            code="invalid_state",
            status=409,
        )
    now = now or timezone.now()
    for name, value in transition.sets:
        setattr(obj, name, now if value is NOW else by if value is BY else value)
    obj.status = transition.target
    obj.full_clean(exclude=["document", "accounts"])
    obj.save()
    audit_record(
        action=transition.action, actor=by, target=obj, target_label=obj.reference, reason=reason, data=data
    )
