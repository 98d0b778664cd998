"""How each kind of outbox message becomes an e-mail. Apps register renderers in their ``emails.py``:

    @renderer("notifications.notice")
    def notice(payload: dict) -> Email | None: ...

A renderer returns None when there is nothing to send any more (the recipient has no address, the record
went away); it runs at delivery, so a message says what is true when it is sent.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    # Called once the mail server accepted the message (e.g. to stamp the notice "emailed").
    on_sent: Callable[[], object] | None = None


Renderer = Callable[[dict], Email | None]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        if kind in RENDERERS and RENDERERS[kind] is not function:
            raise ValueError(f"outbox kind {kind!r} is registered twice")
        RENDERERS[kind] = function
        return function

    return register
