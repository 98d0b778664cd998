"""Which payment provider serves the platform (COM-5): ``settings.PAYMENT_PROVIDER``, the dotted path of its
class; by default the built-in test provider (``inspiracle.payments.providers.test.TestProvider``).

A real provider (Alipay, WeChat Pay, a bank) plugs in by configuration: a class, constructed without
arguments, that implements ``providers.base.PaymentProvider``:

- ``name``: a short slug, unique among providers; its webhooks arrive at POST /api/payments/webhooks/<name>.
  ``label``: what the payer sees. ``collects_card``: False (the payer pays on the provider's own page or app;
  our checkout never sees a card number).
- ``authorize``, ``capture``, ``refund``, ``void``: amounts in fen, CNY only (``base.require_amount``). Each
  passes ``idempotency_key`` on to the provider (Alipay's out_request_no, WeChat Pay's out_refund_no, ...), so a
  retry with the same key never charges or refunds twice. A refusal is a result (``declined``, ``ok=False``
  with a message for the payer); a provider that cannot be reached raises ``ProviderUnavailable``.
- ``verify_webhook``: checks the provider's own signature (RSA for Alipay, AES-GCM plus a platform certificate
  for WeChat Pay; keys and secrets read from settings), refuses a stale or malformed notice with
  ``WebhookRejected``, and maps the provider's notice onto one of the four ``WebhookEvent`` types with the
  provider's unique notice id as ``event_id``.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.payments.providers.base import PaymentProvider

DEFAULT = "inspiracle.payments.providers.test.TestProvider"


def provider() -> PaymentProvider:
    """The configured provider (a new instance: cheap, and a settings override in tests takes effect)."""
    path = getattr(settings, "PAYMENT_PROVIDER", DEFAULT)
    try:
        found = import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"PAYMENT_PROVIDER={path!r} cannot be imported: {exc}") from exc
    if not isinstance(found, PaymentProvider):
        raise ImproperlyConfigured(f"PAYMENT_PROVIDER={path!r} does not implement PaymentProvider")
    return found


def provider_named(name: str) -> PaymentProvider:
    """The configured provider if it is called ``name`` (a webhook's address names it); else not found."""
    found = provider()
    if found.name != name:
        raise NotFound(_("No payment provider called “%(name)s” is configured here.") % {"name": name[:40]})
    return found
