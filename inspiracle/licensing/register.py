"""The exclusive-licence register (COM-6): which grant a new request, proposal or acceptance would collide with.

An exclusive grant excludes every other grant of the same right; a non-exclusive grant excludes only a new
exclusive one ("asks exclusivity over an existing grant"). The same right means: the same work, an overlapping
term, and a shared product category, territory and channel.

Callers that are about to grant hold the rows of the works locked (``lock_works``) from this check to the insert,
so that two acceptances cannot both see a free register and both grant (COM-6's race).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.licensing.models import Grant
from inspiracle.licensing.terms import scope_labels, scopes_overlap
from inspiracle.works.models import Work


@dataclass(frozen=True)
class Conflict:
    """A grant in the way, as either party may see it: who holds what, where and when; never the fee or use."""

    grant: Grant

    def public(self) -> dict[str, Any]:
        grant = self.grant
        return {
            "deal": grant.deal.reference,
            "work": grant.work_id,
            "work_title": grant.work.shown_title,
            "holder": grant.licensee.username,
            "exclusive": grant.exclusive,
            **scope_labels(grant.scope),
            "starts_on": grant.starts_on.isoformat(),
            "ends_on": grant.ends_on.isoformat(),
        }


def lock_works(work_ids: Iterable[int]) -> list[Work]:
    """Lock the works' rows in id order (the same order everywhere, so two lockers never deadlock). On SQLite
    the IMMEDIATE transaction mode already serialises writers; on PostgreSQL this row lock does."""
    return list(Work.objects.select_for_update().filter(pk__in=sorted(set(work_ids))).order_by("pk"))


def grants_in_force(work_ids: Iterable[int], *, on_or_after: date) -> QuerySet[Grant]:
    return Grant.objects.filter(
        work_id__in=list(work_ids), revoked_at__isnull=True, ends_on__gte=on_or_after
    ).select_related("deal", "work", "licensee")


def conflicts_for(*, work_ids: Iterable[int], scope: dict[str, Any], exclusive: bool) -> list[Conflict]:
    grants = grants_in_force(work_ids, on_or_after=scope["starts_on"])
    return [
        Conflict(grant)
        for grant in grants
        if (exclusive or grant.exclusive) and scopes_overlap(scope, grant.scope)
    ]


def refuse_conflicts(*, work_ids: Iterable[int], scope: dict[str, Any], exclusive: bool) -> None:
    conflicts = conflicts_for(work_ids=work_ids, scope=scope, exclusive=exclusive)
    if not conflicts:
        return
    held = conflicts[0].grant
    message = (
        _(
            "These terms overlap the exclusive licence %(deal)s that %(holder)s holds on “%(title)s” "
            "(%(starts)s to %(ends)s). Change the product categories, territory, channels or term so they do "
            "not overlap."
        )
        if held.exclusive
        else _(
            "An exclusive licence cannot cover rights already licensed: %(holder)s holds licence %(deal)s on "
            "“%(title)s” (%(starts)s to %(ends)s). Change the product categories, territory, channels or term, "
            "or ask for a non-exclusive licence."
        )
    )
    raise ApplicationError(
        message
        % {
            "deal": held.deal.reference,
            "holder": held.licensee.username,
            "title": held.work.shown_title,
            "starts": held.starts_on,
            "ends": held.ends_on,
        },
        code="licence_conflict",
        status=409,
        extra={"conflicts": [conflict.public() for conflict in conflicts]},
    )
