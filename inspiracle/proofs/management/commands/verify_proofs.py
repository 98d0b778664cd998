from django.core.management.base import BaseCommand, CommandError

from inspiracle.proofs.services import proofs_verify


class Command(BaseCommand):
    help = "Verify the whole proof-of-creation log: leaf hashes, tree head roots and signatures (WRK-10)."

    def handle(self, *args, **options):
        report = proofs_verify()
        if not report.intact:
            raise CommandError(
                f"proof log BROKEN: {report.problem} "
                f"({report.leaves} leaves and {report.tree_heads} tree heads before it are intact)"
            )
        self.stdout.write(
            f"proof log intact: {report.leaves} leaves and {report.tree_heads} tree heads verified"
        )
