"""Who may reach what (ACC-3). A person's cancellation is their own account: it is reached only through the
signed-in user, never by an id in the address, so there is nothing of another person's to find. Legal holds are
for legal officers and admins (PII_READ: they concern an account's personal information); anyone else gets
"not found" (non-staff) or a plain refusal (other staff), exactly as ``require_capability`` answers."""

from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import PII_READ, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.privacy.models import LegalHold


def access_cancellation_for_owner(user) -> User:
    """The account whose cancellation the caller may ask for, read or withdraw: their own, signed in."""
    if user is None or not user.is_authenticated:
        raise NotFound(_("Sign in to manage your account."))
    return user


def access_legal_hold_for_staff(user, hold_id: int) -> LegalHold:
    require_capability(user, PII_READ)
    hold = LegalHold.objects.select_related("user", "placed_by", "released_by").filter(pk=hold_id).first()
    if hold is None:
        raise NotFound(_("There is no such legal hold."))
    return hold
