import pytest

from inspiracle.payments import events
from inspiracle.payments.providers.test import TestProvider

SUCCEEDS = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
EXPIRED = "4000 0000 0000 0069"
CAPTURE_FAILS = "4000 0000 0000 0341"


@pytest.fixture
def provider() -> TestProvider:
    return TestProvider()


@pytest.fixture
def authorized(provider):
    """``authorized(amount_fen, card=...)``: the provider_ref of a fresh authorization."""
    count = iter(range(1, 10_000))

    def authorized(amount_fen: int = 10_000, card: str = SUCCEEDS) -> str:
        n = next(count)
        answer = provider.authorize(
            amount_fen=amount_fen,
            currency="CNY",
            reference=f"ORD-{n}",
            card=card,
            idempotency_key=f"auth-{n}",
        )
        assert answer.status == "authorized", answer
        return answer.provider_ref

    return authorized


@pytest.fixture
def captured(provider, authorized):
    """``captured(amount_fen)``: the provider_ref of a payment authorized and captured in full."""

    def captured(amount_fen: int = 10_000) -> str:
        ref = authorized(amount_fen)
        assert provider.capture(provider_ref=ref, amount_fen=amount_fen, idempotency_key=f"cap-{ref}").ok
        return ref

    return captured


@pytest.fixture
def handled(monkeypatch) -> list:
    """Only this test's handler is registered (not the shop's): returns the events it was called with."""
    seen: list = []
    monkeypatch.setattr(events, "_handlers", [])
    events.register_handler(seen.append)
    return seen
