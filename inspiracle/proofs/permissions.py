"""Who may download a work's proof-of-creation certificates (WRK-10): its owner, and staff who handle
infringement reports (a certificate is evidence in them). Everyone else gets "not found", as for a work that
does not exist (PRV-3)."""

from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import REPORTS_HANDLE, has_capability
from inspiracle.core.errors import NotFound
from inspiracle.works.models import Work
from inspiracle.works.permissions import is_owner


def can_download_certificate(user, work: Work) -> bool:
    if has_capability(user, REPORTS_HANDLE):
        return True
    if work.status == Work.Status.DELETED:
        return False
    return is_owner(user, work)


def access_work_for_certificate(user, work_id) -> Work:
    work = Work.objects.select_related("owner__profile").filter(pk=work_id).first()
    if work is None or not can_download_certificate(user, work):
        raise NotFound(_("There is no such work."))
    return work
