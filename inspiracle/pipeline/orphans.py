"""Files in storage that no row refers to: what a crash between writing a file and committing its row, or
a bug, could leave behind. Found by listing the storages and comparing with every file field."""

from collections.abc import Iterator
from datetime import timedelta

from django.core.files.storage import Storage, storages
from django.utils import timezone

from inspiracle.accounts.models import OrganizationCertificate, Profile
from inspiracle.works.models import WorkFile

# A file younger than this may belong to an upload whose transaction has not committed yet.
GRACE = timedelta(hours=1)


# (storage, top folder, the names rows refer to there)
def _referenced() -> list[tuple[str, str, set[str]]]:
    work_names: set[str] = set()
    for row in WorkFile.objects.values_list("original", "thumbnail", "preview").iterator():
        work_names.update(name for name in row if name)
    certificates = set(OrganizationCertificate.objects.exclude(file="").values_list("file", flat=True))
    avatars = set(Profile.objects.exclude(avatar="").values_list("avatar", flat=True))
    return [
        ("private", "works", work_names),
        ("private", "certificates", certificates),
        ("default", "avatars", avatars),
    ]


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def orphan_files(*, now=None) -> list[tuple[str, str]]:
    """(storage alias, name) of every unreferenced file older than the grace period."""
    cutoff = (now or timezone.now()) - GRACE
    found = []
    for alias, folder, referenced in _referenced():
        storage = storages[alias]
        for name in _walk(storage, folder):
            if name not in referenced and storage.get_modified_time(name) < cutoff:
                found.append((alias, name))
    return found


def orphans_delete(found: list[tuple[str, str]]) -> None:
    for alias, name in found:
        storages[alias].delete(name)
