"""State changes of licensing: requests and proposals (``requests``), deals and the register (``deals``)."""
