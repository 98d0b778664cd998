from datetime import date, timedelta

import pytest

from inspiracle.core.testing import make_user


@pytest.fixture
def terms():
    """``terms(**changes)``: valid terms of a non-exclusive IP licence starting tomorrow, as a form sends them."""

    def terms(**changes):
        start = date.today() + timedelta(days=1)
        data = {
            "kind": "ip_licence",
            "intended_use": "A capsule collection of T-shirts",
            "product_categories": ["apparel"],
            "territories": ["cn"],
            "channels": ["online"],
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=364)).isoformat(),
            "fee_model": "flat",
            "flat_fee": "12000",
        }
        data.update(changes)
        return data

    return terms


@pytest.fixture
def bea(agreements, ada):
    """A second verified brand."""
    from inspiracle.accounts.services import account_verify

    bea = make_user("bea_brand", kind="organization", email="bea@example.com")
    return account_verify(actor=ada, user=bea, verified=True, reason="certificate checked")
