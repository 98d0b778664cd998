"""Who may see what of a work (WRK-3, PRV-3). Every page, file address and API endpoint goes through these;
a reader who may not see a work gets "not found", exactly as for a work that does not exist."""

import hmac

from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import STAFF_CONSOLE, has_capability
from inspiracle.core.errors import NotFound
from inspiracle.works.files import public_digest
from inspiracle.works.models import Work, WorkFile

DERIVATIVES = ("thumbnail", "preview")


def _not_found() -> NotFound:
    return NotFound(_("There is no such work."))


def is_owner(user, work: Work) -> bool:
    return user.is_authenticated and work.owner_id == user.pk


def can_view_work(user, work: Work) -> bool:
    if work.status == Work.Status.DELETED:
        return has_capability(user, STAFF_CONSOLE)
    return work.is_public or is_owner(user, work) or has_capability(user, STAFF_CONSOLE)


def can_view_original(user, work: Work) -> bool:
    """WRK-3: originals are never public: the owner and staff only."""
    if work.status == Work.Status.DELETED:
        return False
    return is_owner(user, work) or has_capability(user, STAFF_CONSOLE)


def sees_public_page(user, work: Work) -> bool:
    """The reader sees a published work exactly as the public does: not its owner, not staff. Only such a
    reader may be served the work page's cached part (works/views.py)."""
    if not work.is_public:
        return False
    if not user.is_authenticated:
        return True
    return not user.is_staff and not can_view_original(user, work)


def access_work_for_view(user, work_id) -> Work:
    work = (
        Work.objects.select_related("owner__profile", "licence_version__document", "published_by")
        .filter(pk=work_id)
        .first()
    )
    if work is None or not can_view_work(user, work):
        raise _not_found()
    return work


def access_work_for_edit(user, work_id) -> Work:
    work = Work.objects.select_related("owner").filter(pk=work_id).first()
    if work is None or not is_owner(user, work) or work.status == Work.Status.DELETED:
        raise _not_found()
    return work


def access_file_for_download(user, work_id, file_id, kind: str) -> WorkFile:
    """A stored file of a work: derivatives for whoever may see the work, the original for owner and staff."""
    work = access_work_for_view(user, work_id)
    row = WorkFile.objects.filter(pk=file_id, work=work, status=WorkFile.Status.READY).first()
    if row is None or kind not in (*DERIVATIVES, "original"):
        raise _not_found()
    if (kind == "original" or row.masked_at) and not can_view_original(user, work):
        raise _not_found()
    if not getattr(row, kind):
        raise _not_found()
    return row


def access_public_derivative(file_id: int, kind: str, digest: str) -> WorkFile:
    """A derivative at its public address (works/files.py): only a ready file that staff did not mask, of a
    published work, and only under its own digest; anything else is "not found", as for a file that never was."""
    row = (
        WorkFile.objects.select_related("work")
        .only("sha256", "thumbnail", "preview", "work__no_ai_training")
        .filter(
            pk=file_id,
            status=WorkFile.Status.READY,
            masked_at__isnull=True,
            work__status=Work.Status.PUBLISHED,
        )
        .first()
        if kind in DERIVATIVES
        else None
    )
    if row is None or not getattr(row, kind) or not hmac.compare_digest(public_digest(row, kind), digest):
        raise _not_found()
    return row
