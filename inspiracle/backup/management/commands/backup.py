from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inspiracle.backup.services import BackupError, backup_write, key_locations


class Command(BaseCommand):
    help = (
        "Write one archive with the database, every stored file and a manifest of checksums (OPS-3). The key "
        "rings are not in it: back them up separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="where to write the archive (default: inspiracle-backup-<UTC time>.tar.gz here)",
        )

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        path = Path(output or f"inspiracle-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            result = backup_write(output=path, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {result.path} ({len(result.manifest['members'])} members)")
        self.stdout.write(
            "The keys are NOT in this archive. Without the personal-information key ring the personal data in "
            "it cannot be read; back these up separately, and keep them apart from the archive:"
        )
        for line in key_locations():
            self.stdout.write(f"  {line}")
