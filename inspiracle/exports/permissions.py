"""Who may see and download an archive (ACC-4, PRV-3): its owner, signed in, and nobody else. Staff have no
path to another user's archive; anyone else gets "not found", exactly as for an id that does not exist."""

from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.exports.models import Export


def access_export_for_owner(user, export_id: int) -> Export:
    export = None
    if user.is_authenticated:
        export = Export.objects.filter(user=user, pk=export_id).first()
    if export is None:
        raise NotFound(_("There is no such archive."))
    return export


def access_export_for_download(user, export_id: int) -> Export:
    """The owner's archive while it can be downloaded; gone, expired or not yet built reads as not found."""
    export = access_export_for_owner(user, export_id)
    # Past its seven days it is gone even before the sweep deletes the file.
    if (
        export.status != Export.Status.READY
        or export.expires_at is None
        or export.expires_at <= timezone.now()
    ):
        raise NotFound(_("This archive cannot be downloaded: it is not ready, or it has expired."))
    return export
