"""The "Exclusive License, No Reposting" mark (WRK-6, COM-3): set and lifted only here.

The licensing register decides when a work is under an exclusive grant; this module owns the work's fields
that show it, and turns reposting off while the mark stands.
"""

from datetime import datetime

from django.db import transaction

from inspiracle.audit.services import audit_record
from inspiracle.core.generations import generation_bump
from inspiracle.works.models import Work


def work_exclusive_mark(*, work: Work, since: datetime, until: datetime, reason: str) -> Work:
    """Mark the work exclusive from ``since`` to ``until`` (extending a mark that stands) and stop reposting."""
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        until = max(until, work.exclusive_until) if work.exclusive_until else until
        if work.exclusive_since is not None and work.exclusive_until == until and not work.repost_allowed:
            return work
        changed = {"exclusive_until": until.isoformat(), "repost_was_allowed": work.repost_allowed}
        work.exclusive_since = work.exclusive_since or since
        work.exclusive_until = until
        work.repost_allowed = False
        work.save(update_fields=["exclusive_since", "exclusive_until", "repost_allowed"])
        generation_bump("works")  # the mark is on the work's cached card
        audit_record(
            action="work.exclusive_marked", target=work, target_label=work.title, reason=reason, data=changed
        )
    return work


def work_exclusive_lift(*, work: Work, reason: str) -> Work:
    """Lift the mark: the exclusive term ended or its deal was annulled. Reposting stays off until the owner
    allows it again."""
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        if work.exclusive_since is None:
            return work
        work.exclusive_since = None
        work.exclusive_until = None
        work.save(update_fields=["exclusive_since", "exclusive_until"])
        generation_bump("works")
        audit_record(action="work.exclusive_lifted", target=work, target_label=work.title, reason=reason)
    return work
