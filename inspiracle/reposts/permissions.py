"""Who reaches a repost permission (WRK-12, PRV-3). A granted permission (approved, even if since revoked or
expired) is public at its address: that is how a site shows it may repost. A request that was never granted
is seen by its two parties only; anyone else gets "not found", as for a reference that does not exist."""

from django.db.models import Q
from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.reposts.models import RepostPermission


def _not_found() -> NotFound:
    return NotFound(_("There is no such repost permission."))


def _rows():
    return RepostPermission.objects.select_related("work__owner__profile", "owner", "requester")


def is_party(user, permission: RepostPermission) -> bool:
    return user.is_authenticated and user.pk in (permission.owner_id, permission.requester_id)


def shows_work(user, permission: RepostPermission) -> bool:
    """Whether the permission's page and API may name its work (title, creator, thumbnail, attribution).
    A granted permission stays public after its work is unpublished, taken down or deleted, but the work no
    longer is: others then see only the reference, the state, the site and the term."""
    return permission.work.is_public or is_party(user, permission)


def access_permission_for_view(user, reference: str) -> RepostPermission:
    permission = _rows().filter(reference=reference).first()
    if permission is None:
        raise _not_found()
    if not permission.issued and not is_party(user, permission):
        raise _not_found()
    return permission


def access_permission_for_owner(user, reference: str) -> RepostPermission:
    """The owner's way to answer or revoke."""
    permission = None
    if user.is_authenticated:
        permission = _rows().filter(Q(owner=user), reference=reference).first()
    if permission is None:
        raise _not_found()
    return permission


def can_answer(user, permission: RepostPermission) -> bool:
    return user.is_authenticated and permission.owner_id == user.pk and permission.status == "requested"


def can_revoke(user, permission: RepostPermission) -> bool:
    return user.is_authenticated and permission.owner_id == user.pk and permission.status == "approved"
