"""Who may reach a state authority's request (PRV-5, MOD-7): legal officers and administrators. Anyone who is not
staff gets "not found" (the register's existence is not advertised), staff without the right a refusal."""

from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import (
    DISCLOSURE_APPROVE,
    DISCLOSURE_RECORD,
    has_capability,
    require_capability,
)
from inspiracle.core.errors import NotFound
from inspiracle.disclosure.models import DisclosureRequest

RELATED = ("recorded_by", "approved_by", "rejected_by", "delivered_by", "withdrawn_by")


def access_request_for_officer(user, reference: str) -> DisclosureRequest:
    require_capability(user, DISCLOSURE_RECORD)
    found = DisclosureRequest.objects.select_related(*RELATED).filter(reference=reference).first()
    if found is None:
        raise NotFound(_("There is no such authority request."))
    return found


def can_record(user) -> bool:
    return has_capability(user, DISCLOSURE_RECORD)


def can_decide(user, found: DisclosureRequest) -> bool:
    """A second officer: holds the right and did not record the request (four eyes, PRV-5)."""
    return (
        has_capability(user, DISCLOSURE_APPROVE)
        and found.status == DisclosureRequest.Status.RECORDED
        and found.recorded_by_id != user.pk
    )


def can_download(user, found: DisclosureRequest) -> bool:
    """Only the request's own officers (the recorder, the approver), and only while the export exists."""
    return (
        has_capability(user, DISCLOSURE_RECORD)
        and found.status == DisclosureRequest.Status.EXPORTED
        and user.pk in found.officers
    )


def can_withdraw(user, found: DisclosureRequest) -> bool:
    return has_capability(user, DISCLOSURE_RECORD) and found.is_open
