from django.core.management.base import BaseCommand

from inspiracle.pipeline.features_backfill import features_backfill


class Command(BaseCommand):
    help = (
        "Store the local features of every accepted file that has none (files accepted before the pipeline "
        "took them), so that crops and screenshots of older works are found too. Safe to run again and to stop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="stop after this many files")

    def handle(self, *args, **options):
        report = features_backfill(limit=options["limit"])
        self.stdout.write(f"local features backfill: {report.stored} files done")
        if report.unreadable:
            shown = ", ".join(map(str, report.unreadable[:20]))
            more = " ..." if len(report.unreadable) > 20 else ""
            self.stderr.write(
                f"{len(report.unreadable)} originals could not be read (file ids {shown}{more})"
            )
