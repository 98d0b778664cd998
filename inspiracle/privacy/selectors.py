"""What a cancellation will do and what it must keep (ACC-3): read from the apps below, written nowhere."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from inspiracle.accounts.cancellation import cancellation_state
from inspiracle.accounts.models import User
from inspiracle.agreements.selectors import local_today
from inspiracle.licensing.models import Deal, Grant, LicenceRequest
from inspiracle.moderation.models import Appeal
from inspiracle.privacy.models import LegalHold
from inspiracle.reports.models import CounterNotice, Report, ReportItem
from inspiracle.shop.models import Order, OrderLine
from inspiracle.works.models import Work

OPEN_REPORTS = [Report.Status.INCOMPLETE, Report.Status.ACCEPTED]
OPEN_ORDERS = [Order.Status.PLACED, Order.Status.PAID, Order.Status.IN_PRODUCTION, Order.Status.SHIPPED]


def legal_hold_in_force(user: User) -> bool:
    return LegalHold.objects.filter(user=user, released_at__isnull=True).exists()


def _running_deals_q(user: User, today: date) -> Q:
    """Deals of the user not annulled whose licence still runs: a record both parties may need."""
    running = Grant.objects.filter(revoked_at__isnull=True, ends_on__gte=today).values("deal_id")
    return (Q(licensor=user) | Q(licensee=user)) & Q(annulled_at__isnull=True, pk__in=running)


def held_work_ids(user: User, today: date | None = None) -> set[int]:
    """The user's works whose records the law or another party needs kept: named in an open report or an open
    counter-notice, the subject of an open appeal (against its decision or a strike for it), licensed by a
    running deal, in an order still being made or shipped."""
    today = today or local_today()
    own = Work.objects.filter(owner=user).values("pk")
    held: set[int] = set()
    held.update(
        ReportItem.objects.filter(work__in=own, report__status__in=OPEN_REPORTS).values_list(
            "work_id", flat=True
        )
    )
    held.update(
        Appeal.objects.filter(
            status=Appeal.Status.OPEN, decision__isnull=False, decision__work__in=own
        ).values_list("decision__work_id", flat=True)
    )
    # An appeal against a strike given for a work's decision contests that work's case too.
    held.update(
        Appeal.objects.filter(status=Appeal.Status.OPEN, strike__decision__work__in=own).values_list(
            "strike__decision__work_id", flat=True
        )
    )
    # RPT-8: an open counter-notice on an upheld report asks for the work's restoration: it must still exist.
    held.update(
        ReportItem.objects.filter(work__in=own, counter_notice__status=CounterNotice.Status.OPEN).values_list(
            "work_id", flat=True
        )
    )
    held.update(
        Grant.objects.filter(work__in=own, revoked_at__isnull=True, ends_on__gte=today).values_list(
            "work_id", flat=True
        )
    )
    held.update(
        OrderLine.objects.filter(product__work__in=own, order__status__in=OPEN_ORDERS).values_list(
            "product__work_id", flat=True
        )
    )
    held.discard(None)  # type: ignore[arg-type]  # a report item may name an account, not a work
    return held


@dataclass(frozen=True)
class CancellationPreview:
    """What the cancel page shows before the password is asked for."""

    works_published: int
    works_removed: int  # unpublished and their files deleted
    works_kept: int  # unpublished, files kept (open report, appeal, deal, order)
    open_requests: int  # withdrawn when the cancellation is carried out
    running_deals: int
    open_orders: int  # as buyer: delivered first, the address kept as long as the law says
    open_reports: int  # filed by the user, or naming their works
    open_appeals: int


def cancellation_preview(user: User) -> CancellationPreview:
    today = local_today()
    works = Work.objects.filter(owner=user).exclude(status=Work.Status.DELETED)
    held = held_work_ids(user, today)
    own = works.values("pk")
    return CancellationPreview(
        works_published=works.filter(status=Work.Status.PUBLISHED).count(),
        works_removed=works.exclude(pk__in=held).count(),
        works_kept=works.filter(pk__in=held).count(),
        open_requests=LicenceRequest.objects.filter(
            Q(requester=user) | Q(creator=user), status=LicenceRequest.Status.OPEN
        ).count(),
        running_deals=Deal.objects.filter(_running_deals_q(user, today)).count(),
        open_orders=Order.objects.filter(buyer=user, status__in=OPEN_ORDERS).count(),
        open_reports=Report.objects.filter(Q(reporter=user) | Q(items__work__in=own), status__in=OPEN_REPORTS)
        .distinct()
        .count(),
        open_appeals=Appeal.objects.filter(user=user, status=Appeal.Status.OPEN).count(),
    )


@dataclass(frozen=True)
class CancellationStatus:
    state: str  # active, requested, anonymized
    requested_at: datetime | None
    effective_at: datetime | None  # the cooling-off ends: no restoring from here on
    due_at: datetime | None  # the date the user was told: done by then (15 PRC working days)
    can_restore: bool
    can_cancel: bool


def cancellation_status(user: User, now: datetime | None = None) -> CancellationStatus:
    now = now or timezone.now()
    state = cancellation_state(user)
    effective = user.cancel_effective_at
    return CancellationStatus(
        state=state,
        requested_at=user.cancel_requested_at,
        effective_at=effective,
        due_at=user.cancel_due_at,
        can_restore=state == "requested" and effective is not None and effective > now,
        can_cancel=state == "active" and not user.is_staff,
    )


def legal_holds_list(*, user: User | None = None):
    holds = LegalHold.objects.select_related("user", "placed_by", "released_by")
    return holds.filter(user=user) if user is not None else holds
