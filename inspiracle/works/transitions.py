"""The one owner of ``Work.status``: every change of a work's status is a named transition of this table.

A transition says from which statuses it may start, where it ends, which ``<event>_at``/``_by`` fields it
sets and which audit action records it. ``work_transition`` is the only code that assigns ``Work.status``
(a test scans the sources for any other); the works and moderation services call it with the row locked.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.works.models import Work

S = Work.Status
NOW, BY = object(), object()  # in ``sets``: the transition's moment, the user making it
REFUSED = _("This cannot be done while the work is %(status)s; reload the page to see its current state.")


@dataclass(frozen=True)
class Transition:
    """``sources`` -> ``target``; ``sets`` maps fields to values (``NOW``, ``BY`` or a constant); ``action``
    is the audit event's; ``refusal`` tells a user why the work cannot take this step from where it is."""

    name: str
    sources: frozenset[str]
    target: str
    action: str
    sets: dict[str, Any] = field(default_factory=dict)
    refusal: str | Promise = REFUSED


def _t(
    name: str,
    sources: Iterable[str],
    target: str,
    action: str,
    sets: dict[str, Any] | None = None,
    refusal: str | Promise = REFUSED,
) -> Transition:
    return Transition(name, frozenset(sources), target, action, sets or {}, refusal)


EDITABLE = (
    S.REJECTED,
    S.AWAITING_REVIEW,
    S.CHANGES_REQUESTED,
    S.DECLINED,
    S.PUBLISHED,
    S.TAKEN_DOWN,
    S.UNPUBLISHED,
)

# The pipeline's verdict once no file of the work is pending (WRK-2).
PASS_CHECKS = _t(
    "pass_checks", [S.PROCESSING], S.AWAITING_REVIEW, "work.checks_passed", {"submitted_at": NOW}
)
FAIL_CHECKS = _t("fail_checks", [S.PROCESSING], S.REJECTED, "work.checks_failed")
# The owner edits (WRK-8): new files go through the checks again; a new title or description goes back to
# review, except from a refusal or a takedown, which only new files (WRK-2) or an appeal (MOD-6) reopen.
RECHECK = _t("recheck", EDITABLE, S.PROCESSING, "work.edited")
EDIT = _t(
    "edit",
    [S.AWAITING_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED, S.UNPUBLISHED],
    S.AWAITING_REVIEW,
    "work.edited",
    {"submitted_at": NOW},
)
RESUBMIT = _t(
    "resubmit",
    [S.CHANGES_REQUESTED],
    S.AWAITING_REVIEW,
    "work.resubmitted",
    {"submitted_at": NOW},
    _("Only a work with a requested correction can be resubmitted."),
)
# Review (WRK-3, MOD-2).
PUBLISH = _t(
    "publish",
    [S.AWAITING_REVIEW, S.UNPUBLISHED],
    S.PUBLISHED,
    "work.published",
    {"published_at": NOW, "published_by": BY, "unpublished_at": None},
    _("Only a work awaiting review can be published; this one is %(status)s."),
)
NOT_IN_REVIEW = _("This work is not awaiting review.")
DECLINE = _t("decline", [S.AWAITING_REVIEW], S.DECLINED, "review.reject", refusal=NOT_IN_REVIEW)
REQUEST_CHANGES = _t(
    "request_changes", [S.AWAITING_REVIEW], S.CHANGES_REQUESTED, "review.correction", refusal=NOT_IN_REVIEW
)
# Measures on published content (MOD-4) and their undoing (a reversal, an upheld appeal or counter-notice).
TAKE_DOWN = _t(
    "take_down",
    [S.PUBLISHED],
    S.TAKEN_DOWN,
    "content.takedown",
    refusal=_("Only a published work can be taken down or masked."),
)
RESTORE = _t("restore", [S.TAKEN_DOWN], S.PUBLISHED, "review.reversed")
REOPEN = _t(
    "reopen",
    [S.PUBLISHED, S.DECLINED, S.CHANGES_REQUESTED],
    S.AWAITING_REVIEW,
    "review.reversed",
    {"published_at": None, "published_by": None, "submitted_at": NOW},
)
# The owner's own choices (WRK-8); a termination unpublishes too (MOD-5), so an upheld appeal can republish.
UNPUBLISH = _t(
    "unpublish",
    [S.PUBLISHED],
    S.UNPUBLISHED,
    "work.unpublished",
    {"unpublished_at": NOW},
    _("This work is not published."),
)
REPUBLISH = _t(
    "republish",
    [S.UNPUBLISHED],
    S.PUBLISHED,
    "work.republished",
    {"unpublished_at": None},
    _("Only an unpublished work can be published again."),
)
DELETE = _t("delete", [s for s in S.values if s != S.DELETED], S.DELETED, "work.deleted", {"deleted_at": NOW})

TRANSITIONS = (
    PASS_CHECKS,
    FAIL_CHECKS,
    RECHECK,
    EDIT,
    RESUBMIT,
    PUBLISH,
    DECLINE,
    REQUEST_CHANGES,
    TAKE_DOWN,
    RESTORE,
    REOPEN,
    UNPUBLISH,
    REPUBLISH,
    DELETE,
)
# The graph the table draws: from each status, the statuses a work can go to. Nothing leaves DELETED.
EDGES: dict[str, frozenset[str]] = {
    status: frozenset(t.target for t in TRANSITIONS if status in t.sources) for status in S.values
}


def work_transition(
    *,
    work: Work,
    transition: Transition,
    by: User | None = None,
    now: datetime | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> Work:
    """Move ``work`` along ``transition``: check that it may start from the work's status (409 if not), set
    the status and the transition's fields, save, and write its audit event. Call it inside the caller's
    transaction with the work's row locked (``select_for_update``), so that the check and the write see the
    same row and the audit event lands with the change or not at all (AUD-1). Other fields the caller set on
    ``work`` are saved with it; the database's CheckConstraints hold the status and its fields together."""
    if work.status not in transition.sources:
        raise ApplicationError(
            str(transition.refusal) % {"status": work.get_status_display()}, code="invalid_state", status=409
        )
    now = now or timezone.now()
    for name, value in transition.sets.items():
        setattr(work, name, now if value is NOW else by if value is BY else value)
    work.status = transition.target
    work.save()
    generation_bump("works")  # pages that cache lists of works or their products see the change at once
    audit_record(
        action=transition.action, actor=by, target=work, target_label=work.title, reason=reason, data=data
    )
    return work
