"""Staff moderation of accounts through the API: sanctions (MOD-5), strikes and appeals (MOD-6)."""

from ninja import Router

router = Router(tags=["moderation"])
