from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspiracle.backup.services import BackupError, backup_restore, key_locations


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty installation: checks every checksum before and after, then "
        "verifies the audit chain (OPS-3). Refuses an installation that has accounts or stored files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the archive written by the backup command")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        try:
            summary = backup_restore(archive=Path(archive), progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        if not summary.audit.intact:
            raise CommandError(
                f"restored, but the audit log is BROKEN at event #{summary.audit.broken_seq}: "
                f"{summary.audit.problem}"
            )
        if summary.unreadable:
            raise CommandError(
                "restored, but the configured PII key ring cannot read the personal information (install the key "
                "ring the backup was written with):\n  " + "\n  ".join(summary.unreadable)
            )
        self.stdout.write(
            f"restored: {summary.tables} tables, {summary.rows} rows, {summary.files} files "
            f"({summary.bytes} bytes); audit log intact: {summary.audit.checked} events verified"
        )
        if summary.migrations_behind:
            behind = len(summary.migrations_behind)
            what = "newer migration is" if behind == 1 else "newer migrations are"
            self.stdout.write(f"{behind} {what} not applied yet: run migrate next.")
        self.stdout.write("The restored data needs the key ring it was written with:")
        for line in key_locations():
            self.stdout.write(f"  {line}")
