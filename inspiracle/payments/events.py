"""What the apps above payments do when a provider reports an event (a capture, a failed capture, a refund, a
void). They register a handler in their ``AppConfig.ready``; ``services.webhook_receive`` calls every handler
in the transaction that records the event. A plain list, not Django signals: who reacts is in one place, in
the order registered, and a handler's refusal (``ApplicationError``) undoes the receipt too.
"""

from collections.abc import Callable

from inspiracle.payments.providers.base import WebhookEvent

Handler = Callable[[WebhookEvent], None]

_handlers: list[Handler] = []


def register_handler(fn: Handler) -> Handler:
    """Register ``fn`` (once, even if ``ready`` runs twice); returns it, so it may be used as a decorator."""
    if fn not in _handlers:
        _handlers.append(fn)
    return fn


def handlers() -> tuple[Handler, ...]:
    return tuple(_handlers)
