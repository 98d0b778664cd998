"""Who may read and act on a licensing request or deal (PRV-3, PRV-4). A reader who is not a party gets "not
found", exactly as for a reference that does not exist; legal officers and admins oversee every deal."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import LICENSING_OVERSEE, has_capability, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.licensing.models import Deal, LicenceRequest, Proposal


def _party_q(user) -> Q:
    return Q(requester=user) | Q(creator=user)


def access_request_for_party(user, reference: str) -> LicenceRequest:
    request = None
    if user.is_authenticated:
        request = (
            LicenceRequest.objects.select_related("requester__profile", "creator__profile")
            .filter(_party_q(user), reference=reference)
            .first()
        )
    if request is None:
        raise NotFound(_("There is no such licensing request."))
    return request


def access_deal_for_party(user, reference: str) -> Deal:
    deal = None
    if user.is_authenticated:
        deal = (
            Deal.objects.select_related("request", "proposal", "licensor__profile", "licensee__profile")
            .filter(Q(licensor=user) | Q(licensee=user), reference=reference)
            .first()
        )
    if deal is None:
        raise NotFound(_("There is no such deal."))
    return deal


def access_deal_for_staff(user, reference: str) -> Deal:
    require_capability(user, LICENSING_OVERSEE)
    deal = (
        Deal.objects.select_related("request", "proposal", "licensor", "licensee", "annulled_by")
        .filter(reference=reference)
        .first()
    )
    if deal is None:
        raise NotFound(_("There is no such deal."))
    return deal


def access_request_for_staff(user, reference: str) -> LicenceRequest:
    require_capability(user, LICENSING_OVERSEE)
    request = (
        LicenceRequest.objects.select_related("requester", "creator").filter(reference=reference).first()
    )
    if request is None:
        raise NotFound(_("There is no such licensing request."))
    return request


def can_oversee(user) -> bool:
    return has_capability(user, LICENSING_OVERSEE)


@dataclass(frozen=True)
class Moves:
    """What the user may do next in a request (the pages show these buttons, the services check again)."""

    accept: bool
    counter: bool
    decline: bool
    withdraw: bool


def moves_for(user, request: LicenceRequest, latest: Proposal) -> Moves:
    is_party = user.pk in (request.requester_id, request.creator_id)
    open_ = request.is_open and is_party
    answering = open_ and latest.author_id != user.pk
    return Moves(accept=answering, counter=answering, decline=answering, withdraw=open_)
