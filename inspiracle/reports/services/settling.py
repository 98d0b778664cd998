"""RPT-15: when the licensing request sent instead of a takedown ends, its report's address is settled. Agreed:
the address is licensed, without a measure or a strike. Declined, withdrawn or expired: the takedown the legal
officer decided as the fallback is applied, through the same path as any upheld report, with its strike.

Licensing never calls reports (it sits below), so a periodic job looks for requests that ended."""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.licensing.models import LicenceRequest
from inspiracle.moderation.models import Strike
from inspiracle.notifications.services import notify
from inspiracle.reports.models import ReportItem
from inspiracle.reports.notices import tell_reporter
from inspiracle.reports.services.decisions import CONTENT_REASON, TAKEDOWN, item_act, owner_strike
from inspiracle.works.models import Work

log = logging.getLogger(__name__)

NOT_AGREED = (
    LicenceRequest.Status.DECLINED,
    LicenceRequest.Status.WITHDRAWN,
    LicenceRequest.Status.EXPIRED,
)
# Off the public pages for good: the fallback records the takedown without a new decision (as deciding does
# for a work that is down already). A work its owner unpublished or sent back to review may come back; its
# takedown waits until it is published again, and is then applied within a minute.
GONE = (Work.Status.TAKEN_DOWN, Work.Status.DELETED, Work.Status.DECLINED, Work.Status.REJECTED)


def report_items_settle_licences(*, now: datetime | None = None) -> int:
    """Settle every address whose licence request ended. Run by beat every minute; idempotent. Returns how
    many were settled."""
    now = now or timezone.now()
    pending = ReportItem.objects.filter(
        outcome=ReportItem.Outcome.LICENCE_OFFERED,
        licence_request__status__in=[LicenceRequest.Status.ACCEPTED, *NOT_AGREED],
    ).values_list("pk", flat=True)
    settled = 0
    for pk in list(pending):
        try:
            settled += _settle(pk, now)
        except ApplicationError as exc:
            # One address that cannot be settled now (the deciding officer lost the role, say) does not hold
            # up the others; it is tried again on the next run, and staff see it waiting on the report's page.
            log.warning("report item %d: licence fallback refused (%s)", pk, exc.code)
    return settled


def _settle(pk: int, now: datetime) -> bool:
    with transaction.atomic():
        # Why the lock: two runs of the job (a slow one and the next) must not both apply the fallback, which
        # would take down twice and strike twice; the second waits here, then sees the address settled.
        item = (
            ReportItem.objects.select_for_update(of=("self",))
            .select_related("report__decided_by", "work__owner", "licence_request")
            .get(pk=pk)
        )
        if item.outcome != ReportItem.Outcome.LICENCE_OFFERED:
            return False
        status = _request(item).status
        if status == LicenceRequest.Status.ACCEPTED:
            _licensed(item, now)
            return True
        if status in NOT_AGREED:
            return _fall_back(item, now)
    return False


def _request(item: ReportItem) -> LicenceRequest:
    request = item.licence_request
    # An address offered a licence has its request (report_item_licence_request_recorded).
    assert request is not None
    return request


def _work(item: ReportItem) -> Work:
    work = item.work
    assert work is not None  # a licence is offered only for a work (report_item_licence_for_work)
    return work


def _decided_by(item: ReportItem) -> User:
    by = item.report.decided_by
    assert by is not None  # its report was upheld, by an officer (report_decision_recorded)
    return by


def _params(item: ReportItem) -> dict:
    request = _request(item)
    return {
        "reference": item.report.reference,
        "request": request.reference,
        "outcome": LicenceRequest.Status(request.status).label,
    }


def _licensed(item: ReportItem, now: datetime) -> None:
    item.outcome, item.settled_at = ReportItem.Outcome.LICENSED, now
    item.full_clean()
    item.save()
    audit_record(
        action="report.item_licensed",
        actor=None,
        target=_work(item).owner,
        target_label=item.report.reference,
        data={"report": item.report_id, "item": item.pk, "licence_request": _request(item).reference},
    )
    tell_reporter(item.report, "report_licence_agreed", {**_params(item), "title": _work(item).shown_title})


def _fall_back(item: ReportItem, now: datetime) -> bool:
    """The officer's takedown, as they decided it, by them: False while the work is not public to take down."""
    report, work = item.report, Work.objects.get(pk=_work(item).pk)
    if work.status != Work.Status.PUBLISHED and work.status not in GONE:
        return False
    actor = _decided_by(item)
    if work.status == Work.Status.PUBLISHED:
        decision = item_act(actor, report, item, TAKEDOWN, CONTENT_REASON[report.category])
    else:
        item.outcome, decision = ReportItem.Outcome.TAKEN_DOWN, None
    if item.fallback_strike:
        item.strike = _strike(item, decision)
    item.settled_at = now
    item.full_clean()
    item.save()
    audit_record(
        action="report.item_licence_fallback",
        actor=actor,
        target=work.owner,
        target_label=report.reference,
        data={
            "report": report.pk,
            "item": item.pk,
            "licence_request": _request(item).reference,
            "decision": decision.pk if decision else None,
            "strike": item.strike_id,
        },
    )
    params = _params(item)
    notify(
        user=work.owner,
        template="report_licence_fallback",
        params={**params, "title": work.title},
        reason_code=decision.reason_code if decision else "",
        link=reverse("reports:counter", args=[item.pk]),
    )
    tell_reporter(report, "report_licence_not_agreed", {**params, "title": work.shown_title})
    return True


def _strike(item: ReportItem, decision) -> Strike:
    """RPT-9: one strike per upheld IP report and uploader. An earlier address of this report already struck
    the uploader (at the decision, or an earlier fallback): that strike stands for this one too."""
    owner_id = _work(item).owner_id
    earlier = (
        ReportItem.objects.filter(report=item.report, strike__isnull=False)
        .filter(Q(work__owner_id=owner_id) | Q(account_id=owner_id))
        .exclude(pk=item.pk)
        .select_related("strike")
        .first()
    )
    if earlier is not None:
        assert earlier.strike is not None  # filtered on strike__isnull=False
        return earlier.strike
    return owner_strike(actor=_decided_by(item), report=item.report, owner_id=owner_id, decision=decision)
