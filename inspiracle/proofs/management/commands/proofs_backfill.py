from django.core.management.base import BaseCommand

from inspiracle.proofs.backfill import BATCH, proofs_backfill


class Command(BaseCommand):
    help = (
        "Append to the proof-of-creation log every accepted file that has no leaf yet (files accepted before "
        "the log existed), oldest acceptance first (WRK-10). Safe to run again and to stop: it carries on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="files per transaction")
        parser.add_argument("--limit", type=int, help="stop after this many files")

    def handle(self, *args, **options):
        report = proofs_backfill(batch=max(1, options["batch"]), limit=options["limit"])
        self.stdout.write(f"proof log backfill: {report.appended} files appended")
        if report.skipped:
            self.stderr.write(
                f"{len(report.skipped)} accepted files have no perceptual hash and were left out "
                f"(file ids {', '.join(map(str, report.skipped[:20]))}{' ...' if len(report.skipped) > 20 else ''})"
            )
