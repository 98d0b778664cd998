"""Backup and restore time for 1,000 works (OPS-3): ``inspiracle backup`` and ``inspiracle restore``.

Run: uv run --offline python bench/backup.py [--works 1000] [--file-bytes 20000]
     (DATABASE_URL=postgres://... to measure on PostgreSQL; SQLite otherwise)

Creates a test database (as the test suite does) and storages in a temporary folder, seeds the works cheaply
(rows written directly, three small files per work: original, thumbnail, preview; no pipeline), writes the
archive, destroys the installation (flush and empty storages), restores it, and prints the seconds of each.
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument(
        "--file-bytes", type=int, default=20_000, help="size of each original (thumbnails 1/4)"
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    folder = Path(tempfile.mkdtemp(prefix="inspiracle-bench-backup-"))
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "private", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with override_settings(STORAGES=storages, MEDIA_ROOT=folder / "media"):
            measure(folder, args.works, args.file_bytes)
    finally:
        runner.teardown_databases(old)
        shutil.rmtree(folder, ignore_errors=True)


def seed(works: int, file_bytes: int) -> int:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from inspiracle.agreements.models import Consent
    from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
    from inspiracle.core.storage import private
    from inspiracle.core.testing import make_user
    from inspiracle.works.models import Work, WorkFile
    from inspiracle.works.services import LICENCE_DOCUMENTS

    agreements_load_directory(directory=DEFAULTS_DIR)
    moderator = make_user("mo", role="moderator")
    owners = [make_user(f"creator{n}") for n in range(20)]
    licence = Consent.objects.filter(user=owners[0], version__document__slug__in=LICENCE_DOCUMENTS).first()
    assert licence is not None
    now = timezone.now()
    created = Work.objects.bulk_create(
        Work(
            owner=owners[n % len(owners)],
            title=f"Work {n}",
            category="illustration",
            ai_use="none",
            status=Work.Status.PUBLISHED,
            rights_confirmed_at=now,
            licence_version=licence.version,
            published_at=now,
            published_by=moderator,
        )
        for n in range(works)
    )
    rows, size = [], 0
    for work in created:
        body = os.urandom(file_bytes)
        names = [
            private.save(f"works/originals/{work.pk}.png", ContentFile(body)),
            private.save(f"works/thumbnails/{work.pk}.webp", ContentFile(body[: file_bytes // 4])),
            private.save(f"works/previews/{work.pk}.webp", ContentFile(body[: file_bytes // 4])),
        ]
        size += file_bytes + 2 * (file_bytes // 4)
        rows.append(
            WorkFile(
                work=work,
                original=names[0],
                thumbnail=names[1],
                preview=names[2],
                original_name=f"{work.pk}.png",
                size=file_bytes,
                status=WorkFile.Status.READY,
            )
        )
    WorkFile.objects.bulk_create(rows)
    return size


def measure(folder: Path, works: int, file_bytes: int) -> None:
    from inspiracle.accounts.models import User

    started = time.perf_counter()
    size = seed(works, file_bytes)
    print(f"database: {connection.vendor}; {works} works, {3 * works} files, {size / 1e6:.1f} MB of files")
    print(f"seeding: {time.perf_counter() - started:.1f} s")
    archive = folder / "backup.tar.gz"
    started = time.perf_counter()
    call_command("backup", output=str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup_seconds = time.perf_counter() - started
    print(f"backup: {backup_seconds:.2f} s, archive {archive.stat().st_size / 1e6:.1f} MB")
    call_command("flush", interactive=False, verbosity=0)
    for sub in ("media", "private"):
        shutil.rmtree(folder / sub, ignore_errors=True)
    started = time.perf_counter()
    call_command("restore", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(
        f"restore: {time.perf_counter() - started:.2f} s (checksums before and after, audit chain verified)"
    )
    assert User.objects.count() == 21


if __name__ == "__main__":
    main()
