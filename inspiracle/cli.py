"""``inspiracle``: the operator's command line (UX-5). Each subcommand is a Django management command."""

import os
import sys

COMMANDS = {
    "serve": "serve",
    "worker": "worker",
    "beat": "beat",
    "demo": "load_demo",
    "create-admin": "create_admin",
    "publish-agreement": "publish_agreement",
    "load-agreements": "load_agreements",
    "verify-audit": "audit_verify",
    "verify-proof": "verify_proof",
    "verify-proofs": "verify_proofs",
    "proofs-backfill": "proofs_backfill",
    "features-backfill": "features_backfill",
    "keys": "pii_keys",
    "orphan-files": "orphan_files",
    "backup": "backup",
    "restore": "restore",
    "load-calendar": "load_calendar",
    "migrate": "migrate",
    "manage": None,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help", "help"} or args[0] not in COMMANDS:
        print(
            "usage: inspiracle COMMAND [options]\n\ncommands:\n"
            "  serve              run the platform (web, worker, beat) on its embedded defaults\n"
            "  worker             run a Celery worker (and beat with --beat)\n"
            "  beat               run the periodic-job scheduler (exactly one per installation)\n"
            "  demo               load demo users and agreements (once)\n"
            "  create-admin       create an administrator (the first one on a new install)\n"
            "  publish-agreement  publish a new agreement version from Markdown files\n"
            "  load-agreements    publish every agreement found in a folder\n"
            "  verify-audit       verify the audit log's hash chain\n"
            "  verify-proof       verify a proof-of-creation certificate offline (FILE.json [--image FILE])\n"
            "  verify-proofs      verify the whole proof-of-creation log\n"
            "  proofs-backfill    append files accepted before the proof log existed to it\n"
            "  features-backfill  store local features of files accepted before the pipeline took them\n"
            "  keys               generate or rotate the personal-information keys\n"
            "  orphan-files       list (and with --delete remove) stored files no record refers to\n"
            "  backup             write one archive of the database and every stored file (not the keys)\n"
            "  restore ARCHIVE    restore a backup into an empty installation and verify it\n"
            "  load-calendar      load the PRC holiday calendar of a year the bundled data lacks (JSON)\n"
            "  migrate            apply database migrations\n"
            "  manage ...         any Django management command"
        )
        sys.exit(0 if args and args[0] in {"-h", "--help", "help"} else 2)
    from django.core.management import execute_from_command_line

    command = COMMANDS[args[0]]
    execute_from_command_line(["inspiracle", *([command] if command else []), *args[1:]])


if __name__ == "__main__":
    main()
