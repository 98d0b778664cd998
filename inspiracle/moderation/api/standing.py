"""A user's own standing and appeals through the API (MOD-5, MOD-6)."""

from ninja import Router

router = Router(tags=["standing"])
