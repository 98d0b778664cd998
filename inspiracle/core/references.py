"""Short public references for records people talk about (a licence request, a deal, a product, an order)."""

import secrets

from django.db.models import Model

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out on the phone


def new_reference(model: type[Model], prefix: str) -> str:
    # Unguessable enough not to enumerate other people's records.
    while True:
        reference = prefix + "".join(secrets.choice(ALPHABET) for _n in range(8))
        if not model._default_manager.filter(reference=reference).exists():
            return reference
