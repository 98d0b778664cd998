"""ACC-3 through the API (UX-2): the caller's own cancellation (ask with the password, read, withdraw during the
cooling-off), and for legal officers and admins the legal holds that keep an account's records through it.
Refusals carry their code: ``wrong_password`` (400), ``throttled`` (429 with Retry-After), ``staff_account``
(403), ``invalid_state`` (409: asked for already / nothing to withdraw), ``cooling_off_over`` (409)."""

from datetime import datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.accounts.permissions import PII_READ, require_capability
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.privacy import selectors, services
from inspiracle.privacy.models import LegalHold
from inspiracle.privacy.permissions import access_cancellation_for_owner, access_legal_hold_for_staff

router = Router(tags=["privacy"])
staff_router = Router(tags=["privacy (staff)"])


class CancelIn(Schema):
    password: str


class CancellationOut(Schema):
    state: str  # active, requested, anonymized
    requested_at: datetime | None
    effective_at: datetime | None  # restoring is possible until then
    due_at: datetime | None  # done by then at the latest (15 PRC working days)
    can_restore: bool
    can_cancel: bool


class LegalHoldIn(Schema):
    username: str
    reason: str


class LegalHoldOut(Schema):
    id: int
    username: str
    reason: str
    placed_at: datetime
    placed_by: str
    released_at: datetime | None


def _hold(hold: LegalHold) -> dict:
    return {
        "id": hold.pk,
        "username": hold.user.username,
        "reason": hold.reason,
        "placed_at": hold.placed_at,
        "placed_by": hold.placed_by.username,
        "released_at": hold.released_at,
    }


@router.get("/account/cancellation", response=CancellationOut, url_name="account-cancellation")
def cancellation_get(request):
    return selectors.cancellation_status(access_cancellation_for_owner(request.user))


@router.post(
    "/account/cancellation",
    response={201: CancellationOut, **error_responses(409, 429)},
    url_name="account-cancel",
)
def cancellation_post(request, data: CancelIn):
    """Ask for the cancellation: ``due_at`` is the date it will be done by; ``effective_at`` ends the cooling-off."""
    user = services.cancellation_request(
        user=access_cancellation_for_owner(request.user), password=data.password
    )
    return Status(201, selectors.cancellation_status(user))


@router.delete(
    "/account/cancellation",
    response={200: CancellationOut, **error_responses(409)},
    url_name="account-restore",
)
def cancellation_delete(request):
    """Restore the account during the cooling-off."""
    user = services.cancellation_restore(user=access_cancellation_for_owner(request.user))
    return selectors.cancellation_status(user)


@staff_router.get("/privacy/holds", response=list[LegalHoldOut], url_name="staff-legal-holds")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def holds_list(request):
    """Legal holds, 100 a page."""
    require_capability(request.user, PII_READ)
    return Rows(selectors.legal_holds_list(), each=_hold)


@staff_router.post("/privacy/holds", response={201: LegalHoldOut}, url_name="staff-legal-hold-place")
def hold_place(request, data: LegalHoldIn):
    hold = services.legal_hold_place(actor=request.user, username=data.username, reason=data.reason)
    return Status(201, _hold(access_legal_hold_for_staff(request.user, hold.pk)))


@staff_router.delete("/privacy/holds/{hold_id}", response=LegalHoldOut, url_name="staff-legal-hold")
def hold_release(request, hold_id: Id):
    access_legal_hold_for_staff(request.user, hold_id)
    hold = services.legal_hold_release(actor=request.user, hold_id=hold_id)
    return _hold(access_legal_hold_for_staff(request.user, hold.pk))
