from django.core.management.base import BaseCommand, CommandError

from inspiracle.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken event."

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.intact:
            raise CommandError(
                f"audit log BROKEN at event #{report.broken_seq}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(f"audit log intact: {report.checked} events verified")
