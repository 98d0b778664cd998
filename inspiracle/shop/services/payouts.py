"""Payouts (COM-5): a creator asks for their available balance; operations staff record the settlement, which
happens outside the platform."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import SHOP_OPERATIONS, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.notifications.services import notify
from inspiracle.shop import ledger
from inspiracle.shop.models import LedgerAccount, Payout


def payout_request(*, creator: User) -> Payout:
    """Ask for the whole available balance, when it reaches SHOP_PAYOUT_MIN_FEN."""
    with transaction.atomic():
        # The account row's lock: two requests at once cannot both ask for the same balance.
        LedgerAccount.objects.select_for_update().filter(
            owner=creator, kind=LedgerAccount.Kind.AVAILABLE
        ).first()
        available = ledger.balances_for(creator).available
        if available < settings.SHOP_PAYOUT_MIN_FEN:
            raise ApplicationError(
                _("A payout can be asked for from ¥%(min).2f of available balance; you have ¥%(have).2f.")
                % {"min": settings.SHOP_PAYOUT_MIN_FEN / 100, "have": available / 100},
                code="below_payout_threshold",
                status=409,
            )
        payout = Payout.objects.create(creator=creator, amount_fen=available)
        ledger.post_payout_request(payout)
        audit_record(
            action="shop.payout_requested", actor=creator, target=payout, data={"amount_fen": available}
        )
    return payout


def payout_settle(*, staff: User, payout: Payout) -> Payout:
    require_capability(staff, SHOP_OPERATIONS)
    with transaction.atomic():
        locked = Payout.objects.select_for_update().get(pk=payout.pk)
        if locked.status != Payout.Status.REQUESTED:
            raise ApplicationError(_("This payout was already settled."), code="invalid_state", status=409)
        locked.status, locked.settled_at, locked.settled_by = Payout.Status.SETTLED, timezone.now(), staff
        locked.save()
        ledger.post_payout_settled(locked)
        notify(
            user=locked.creator,
            template="shop_payout_settled",
            params={
                "amount": f"{locked.amount_fen / 100:.2f}",
                "requested": timezone.localdate(locked.requested_at),
            },
            link=reverse("shop_studio:revenue"),
        )
        audit_record(
            action="shop.payout_settled", actor=staff, target=locked, data={"amount_fen": locked.amount_fen}
        )
    return locked
