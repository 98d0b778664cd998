"""Payment providers: the contract (``base``) and the built-in test provider (``test``)."""
