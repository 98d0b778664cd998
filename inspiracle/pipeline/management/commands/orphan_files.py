from django.core.management.base import BaseCommand

from inspiracle.pipeline.orphans import GRACE, orphan_files, orphans_delete


class Command(BaseCommand):
    help = (
        "List files in storage that no record refers to (older than an hour, so uploads in flight are left "
        "alone); with --delete, remove them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove the files found")

    def handle(self, *args, delete=False, **options):
        found = orphan_files()
        for alias, name in found:
            self.stdout.write(f"{alias}:{name}")
        if delete:
            orphans_delete(found)
        verb = "deleted" if delete else "found (run with --delete to remove them)"
        hours = int(GRACE.total_seconds() // 3600)
        files = "file" if len(found) == 1 else "files"
        self.stdout.write(f"{len(found)} unreferenced {files} older than {hours} h {verb}.")
