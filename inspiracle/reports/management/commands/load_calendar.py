import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from inspiracle.core.errors import ApplicationError
from inspiracle.reports.workdays import calendar_load


class Command(BaseCommand):
    help = (
        "Load the PRC statutory holidays and make-up working days of one year (or a list of years) from a "
        "JSON file, for years the bundled chinesecalendar data does not cover (RPT-16). Copy the dates from "
        "the State Council's official notice on the holiday arrangements of that year and name it as "
        '"source"; never guess them. Format: inspiracle/reports/calendars/2027.example.json. A year the '
        'bundled data covers is only replaced with "override": true.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--allow-example",
            action="store_true",
            help='load a file whose source starts with "example" (for trying things out, never in production)',
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(_("%(path)s is not JSON: %(error)s") % {"path": path, "error": exc}) from exc
        entries = payload if isinstance(payload, list) else [payload]
        if not entries:
            raise CommandError(_("%(path)s holds no year.") % {"path": path})
        years = [entry.get("year") for entry in entries if isinstance(entry, dict)]
        if len(years) != len(set(map(repr, years))):
            raise CommandError(_("%(path)s lists a year twice.") % {"path": path})
        try:
            # All years or none: a half-loaded file would leave the operator unsure what is in force.
            with transaction.atomic():
                loaded = [self._load(entry, options["allow_example"]) for entry in entries]
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for row in loaded:
            self.stdout.write(
                _(
                    "loaded %(year)s: %(holidays)s holidays, %(workdays)s make-up working days (source: %(source)s)"
                )
                % {
                    "year": row.year,
                    "holidays": len(row.holidays),
                    "workdays": len(row.workdays),
                    "source": row.source,
                }
            )

    def _load(self, entry, allow_example: bool):
        source = entry.get("source", "") if isinstance(entry, dict) else ""
        source = source if isinstance(source, str) else ""
        if source.strip().lower().startswith("example") and not allow_example:
            # The shipped example has made-up dates; loaded as is, it would silence the RPT-16 alert with a
            # guess, which is what the alert exists to prevent.
            raise ApplicationError(
                _(
                    'The calendar for %(year)s says it is an example ("%(source)s"). Replace its dates with '
                    "those of the State Council notice and name the notice as its source."
                )
                % {"year": entry.get("year"), "source": source}
            )
        return calendar_load(data=entry, source=source)
