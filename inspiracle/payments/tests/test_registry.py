"""The provider is chosen by configuration (COM-5), and payments sits below the shop."""

from collections.abc import Mapping
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from inspiracle.core.testing import module_imports
from inspiracle.payments import registry
from inspiracle.payments.providers.base import (
    Authorization,
    Outcome,
    PaymentProvider,
    WebhookEvent,
    WebhookRejected,
)
from inspiracle.payments.providers.test import TestProvider

APP = Path(__file__).resolve().parents[1]


class RedirectProvider:
    """What a real provider looks like to the shop: no card form, its own webhook address."""

    name = "redirect"
    label = "Redirect Pay"
    collects_card = False

    def authorize(self, *, amount_fen, currency, reference, card, idempotency_key) -> Authorization:
        return Authorization(status="authorized", provider_ref=f"rp-{reference}", message="ok")

    def capture(self, *, provider_ref, amount_fen, idempotency_key) -> Outcome:
        return Outcome(ok=True, provider_ref=provider_ref, message="ok")

    def refund(self, *, provider_ref, amount_fen, idempotency_key) -> Outcome:
        return Outcome(ok=True, provider_ref=provider_ref, message="ok")

    def void(self, *, provider_ref, idempotency_key) -> Outcome:
        return Outcome(ok=True, provider_ref=provider_ref, message="ok")

    def verify_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        raise WebhookRejected("Redirect Pay signs with RSA; this delivery is not signed.")


def test_the_test_provider_serves_the_default_set_up():
    """REQ: COM-5"""
    found = registry.provider()
    assert isinstance(found, TestProvider) and isinstance(found, PaymentProvider)
    assert (found.name, found.collects_card) == ("test", True)


@pytest.mark.django_db
def test_another_provider_plugs_in_by_configuration_and_takes_over_the_webhook_address(settings):
    """REQ: COM-5"""
    settings.PAYMENT_PROVIDER = f"{__name__}.RedirectProvider"
    found = registry.provider()
    assert isinstance(found, RedirectProvider) and not found.collects_card
    assert (
        found.authorize(amount_fen=1, currency="CNY", reference="R1", card=None, idempotency_key="k").status
        == "authorized"
    )
    client = Client()
    refused = client.post("/api/payments/webhooks/redirect", b"{}", content_type="application/json")
    assert refused.status_code == 400 and "RSA" in refused.json()["error"]["message"]
    assert (
        client.post("/api/payments/webhooks/test", b"{}", content_type="application/json").status_code == 404
    )


@pytest.mark.parametrize(
    "path", ["inspiracle.payments.nowhere.Provider", "inspiracle.payments.models.TestCharge"]
)
def test_a_misconfigured_provider_says_what_is_wrong(settings, path):
    settings.PAYMENT_PROVIDER = path
    with pytest.raises(ImproperlyConfigured, match="PAYMENT_PROVIDER"):
        registry.provider()


def test_payments_never_imports_the_shop_or_any_app_above_it():
    offenders = {
        str(path.relative_to(APP)): sorted(
            name for name in module_imports(path) if name.startswith("inspiracle.shop")
        )
        for path in APP.rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}
