from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Publish the agreements found in a folder as <slug>.zh-hans.md and <slug>.en.md (AGR-5). "
        "Without a folder: the texts shipped with Inspiracle, for documents that have no version yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path)
        parser.add_argument("--effective", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--reaccept", action="store_true")

    def handle(self, *args, **o):
        directory = o["directory"] or DEFAULTS_DIR
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        try:
            published = agreements_load_directory(
                directory=directory,
                effective_date=o["effective"],
                requires_reacceptance=o["reaccept"],
                only_if_empty=o["directory"] is None,
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc} {exc.fields}") from exc
        if not published:
            self.stdout.write("nothing to publish")
        for version in published:
            self.stdout.write(f"published {version.label}, in force from {version.effective_date}")
