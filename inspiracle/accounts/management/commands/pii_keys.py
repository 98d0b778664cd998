from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspiracle.core import crypto
from inspiracle.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Personal-information keys (PRV-1). 'generate' prints a new key ring; 'add-key FILE ID' adds a key to "
        "a key ring file and makes it active; 'rotate' re-encrypts every stored value with the active key "
        "(old keys can be removed from the ring afterwards)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "add-key", "rotate"])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("key_id", nargs="?")

    def handle(self, *args, **o):
        if o["action"] == "generate":
            self.stdout.write(crypto.new_keyring_json())
        elif o["action"] == "add-key":
            if not o["file"] or not o["key_id"]:
                raise CommandError("usage: keys add-key KEYRING_FILE NEW_KEY_ID")
            try:
                ring = crypto.Keyring.from_json(o["file"].read_text()).with_new_active_key(o["key_id"])
            except (OSError, crypto.KeyringError) as exc:
                raise CommandError(str(exc)) from exc
            o["file"].write_text(ring.to_json())
            self.stdout.write(
                f"key {o['key_id']} added and active in {o['file']}; restart every process, "
                "then run 'keys rotate'"
            )
        else:
            self._rotate()

    def _rotate(self):
        active = crypto.keyring().active
        for model in apps.get_models():
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = 0
            for pk, *values in model._default_manager.values_list("pk", *fields).iterator():
                with transaction.atomic():
                    # Values come back decrypted; writing them again encrypts them under the active key.
                    model._default_manager.filter(pk=pk).update(**dict(zip(fields, values, strict=True)))
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted with key {active}")
        self.stdout.write("rotation complete")
