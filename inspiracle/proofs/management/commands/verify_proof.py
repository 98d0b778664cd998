import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspiracle.proofs import keys
from inspiracle.proofs.bundle import ProofInvalid, verify_bundle


def _named_key(raw: bytes):
    """The installation's key (current or retired) that the certificate names; the current one otherwise,
    which then fails with "another key"."""
    try:
        named = json.loads(raw).get("key_id")
    except (ValueError, AttributeError):
        named = None
    return keys.public_key_for(named) or keys.public_key()


class Command(BaseCommand):
    help = (
        "Verify a proof-of-creation certificate offline (WRK-10): its leaf hash, its inclusion proof to the "
        "signed root, the tree head's Ed25519 signature, and with --image the original file's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("certificate", help="the certificate JSON file")
        parser.add_argument("--image", help="the original file, to check that it is the one fingerprinted")
        parser.add_argument(
            "--key", help="the public key (PEM); by default the installation's key the certificate names"
        )

    def handle(self, *args, **options):
        try:
            raw = Path(options["certificate"]).read_bytes()
            image = Path(options["image"]).read_bytes() if options["image"] else None
            public = (
                keys.load_public_pem(Path(options["key"]).read_bytes()) if options["key"] else _named_key(raw)
            )
        except (OSError, keys.SigningKeyError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = verify_bundle(raw, public_key=public, image=image)
        except ProofInvalid as exc:
            raise CommandError(f"certificate INVALID: {exc}") from exc
        leaf = result.leaf
        self.stdout.write(
            f"certificate valid: file {leaf['file']} of work {leaf['work']} (SHA-256 {leaf['sha256']}), "
            f"accepted {leaf['accepted_at']}, leaf #{result.leaf_index} of a signed tree of {result.tree_size}"
            + ("; the given file matches" if result.image_checked else "")
        )
