"""Backup and restore of a whole installation (``inspiracle backup`` / ``inspiracle restore``).

Runs on SQLite and on PostgreSQL (pg_dump / pg_restore against the test database)."""

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from inspiracle.accounts.models import User
from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_verify
from inspiracle.backup.services import _current_counts, stored_files
from inspiracle.core.testing import make_user
from inspiracle.reports.models import Report
from inspiracle.reports.services.intake import ReportInput, report_file
from inspiracle.works.models import Work, WorkFile

pytestmark = pytest.mark.django_db(transaction=True)


def all_tables() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return _current_counts(dict.fromkeys(tables, 0))


def files_now() -> dict[tuple[str, str], bytes]:
    found = {}
    for alias, name in stored_files():
        with storages[alias].open(name, "rb") as handle:
            found[alias, name] = handle.read()
    return found


def sample() -> dict[str, list]:
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "staff_role")),
        "works": list(Work.objects.order_by("pk").values_list("pk", "title", "status", "owner_id")),
        "files": list(WorkFile.objects.order_by("pk").values_list("pk", "original", "thumbnail", "preview")),
        "reports": list(
            Report.objects.order_by("pk").values_list("pk", "reference", "category", "reporter_id")
        ),
        "audit": list(AuditEvent.objects.order_by("seq").values_list("seq", "action", "hash")),
    }


@pytest.fixture
def populated(published_work, ben, cy, lee):
    """Users (one an organization with its certificate), two published works with their files, a report and
    the audit events all of that wrote."""
    make_user("dora", email="dora@example.com")
    published_work(title="Spring rain", seed=1)
    published_work(title="Autumn wind", seed=2)
    report_file(reporter=cy, data=ReportInput(category="privacy"))
    assert AuditEvent.objects.count() > 5 and len(files_now()) >= 4


def destroy(fresh_storage: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for folder in ("media", "private"):
        shutil.rmtree(fresh_storage / folder, ignore_errors=True)


def tampered_copy(archive: Path, target: Path, member_prefix: str) -> str:
    """The archive again, with one byte changed in the first member whose name starts with the prefix."""
    changed = ""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if not changed and info.name.startswith(member_prefix):
                data = bytes([data[0] ^ 0x01]) + data[1:]
                changed = info.name
            out.addfile(info, io.BytesIO(data))
    return changed


def test_a_populated_installation_is_backed_up_destroyed_and_restored_exactly(
    populated, fresh_storage, tmp_path
):
    """REQ: OPS-3, UX-5"""
    tables, rows, files = all_tables(), sample(), files_now()
    archive = tmp_path / "out" / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert archive.exists() and (archive.stat().st_mode & 0o077) == 0
    assert "PII_KEYRING" in out.getvalue() and "NOT in this archive" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and not any("keyring" in name for name in names)

    destroy(fresh_storage)
    assert User.objects.count() == 0 and files_now() == {}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert all_tables() == tables
    assert sample() == rows
    assert files_now() == files
    assert audit_verify().intact
    assert f"{len(files)} files" in out.getvalue() and "audit log intact" in out.getvalue()


def test_a_tampered_archive_is_refused_naming_the_member(populated, fresh_storage, tmp_path):
    """REQ: OPS-3"""
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    destroy(fresh_storage)
    for prefix in ("storage/private/works/", "database/"):
        bad = tmp_path / "bad.tar.gz"
        member = tampered_copy(archive, bad, prefix)
        with pytest.raises(CommandError, match=f"{member}: checksum mismatch"):
            call_command("restore", str(bad), stdout=io.StringIO())
        assert User.objects.count() == 0 and files_now() == {}  # nothing was touched
    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(extra, "w:gz") as out:
        for info in source:
            out.addfile(info, source.extractfile(info))
        planted = tarfile.TarInfo("storage/default/avatars/planted.png")
        planted.size = 3
        out.addfile(planted, io.BytesIO(b"png"))
    with pytest.raises(CommandError, match="storage/default/avatars/planted.png: not in the manifest"):
        call_command("restore", str(extra), stdout=io.StringIO())
    (tmp_path / "broken.tar.gz").write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(CommandError, match="restore refused"):
        call_command("restore", str(tmp_path / "broken.tar.gz"), stdout=io.StringIO())


def test_restoring_into_an_installation_that_is_not_empty_is_refused(populated, fresh_storage, tmp_path):
    """REQ: OPS-3"""
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    before = sample()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert sample() == before
    destroy(fresh_storage)
    storages["private"].save("works/stray.bin", io.BytesIO(b"left over"))
    with pytest.raises(CommandError, match=r"not empty \(0 accounts, 1 stored file\)"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert User.objects.count() == 0 and files_now() == {("private", "works/stray.bin"): b"left over"}


def test_files_in_s3_are_backed_up_and_restored_into_an_empty_bucket(s3_storage, populated, tmp_path):
    """REQ: OPS-3"""
    keys, files, rows = s3_storage.object_keys(), files_now(), sample()
    assert keys and len(files) == len(keys)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    for key in keys:
        s3_storage.client.delete_object(Bucket=s3_storage.name, Key=key)
    assert files_now() == {}
    call_command("restore", str(archive), stdout=io.StringIO())
    assert s3_storage.object_keys() == keys and files_now() == files and sample() == rows
    assert audit_verify().intact


def test_a_restore_under_another_key_ring_says_the_personal_information_is_unreadable(
    populated, fresh_storage, tmp_path, settings
):
    """REQ: OPS-3"""
    from inspiracle.core.crypto import keyring, new_keyring_json

    written_with = keyring().active
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    destroy(fresh_storage)
    settings.PII_KEYRING = new_keyring_json("other")
    with pytest.raises(
        CommandError,
        match=r"key ring cannot read the personal information[\s\S]*no key '" + written_with + "'",
    ):
        call_command("restore", str(archive), stdout=io.StringIO())
