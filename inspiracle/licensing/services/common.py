"""What every licensing service shares: who may take part, limits, expiry."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from inspiracle import standing
from inspiracle.accounts.models import User
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError, PermissionDenied
from inspiracle.core.ratelimit import Limit, wait_text


def expiry_from(now: datetime) -> datetime:
    return now + timedelta(days=settings.LICENSING_REQUEST_EXPIRY_DAYS)


def require_participation(user: User) -> None:
    """MOD-5: a participation restriction stops requests, proposals and answers; reading stays open."""
    standing.require_allowed(user, standing.PARTICIPATE)


def require_may_request(user: User) -> None:
    """COM-1: creators (individual accounts) and verified organizations send licensing requests."""
    if user.is_staff:
        raise PermissionDenied(_("Staff accounts do not send licensing requests."), code="not_a_party")
    if user.is_organization and not user.is_verified:
        raise PermissionDenied(
            _(
                "Only verified organizations can send licensing requests. Upload your business licence on your "
                "registration page; a legal officer reviews it."
            ),
            code="organization_not_verified",
        )


def request_refusal(user: User) -> ApplicationError | None:
    """Why ``user`` may not send a licensing request now, for a page to say before the form is filled in."""
    try:
        require_may_request(user)
        require_participation(user)
    except ApplicationError as exc:
        return exc
    return None


def count_request(user: User) -> None:
    ratelimit.hit(
        (
            Limit(
                scope="licensing.requests",
                hits=settings.LICENSING_REQUESTS_PER_DAY,
                window=24 * 3600,
                refusal=lambda wait: (
                    _("You sent the most licensing requests allowed in a day; wait %(wait)s.")
                    % {"wait": wait_text(wait)}
                ),
            ),
            ratelimit.key(f"user:{user.pk}"),
        )
    )


def count_answer(user: User) -> None:
    ratelimit.hit(
        (
            Limit(
                scope="licensing.answers",
                hits=settings.LICENSING_PROPOSALS_PER_HOUR,
                window=3600,
                refusal=lambda wait: (
                    _("Too many proposals and answers in an hour; wait %(wait)s.") % {"wait": wait_text(wait)}
                ),
            ),
            ratelimit.key(f"user:{user.pk}"),
        )
    )
