import pytest
from django.apps import apps as django_apps

from inspiracle.core.testing import make_user
from inspiracle.shop.catalogue import catalogue_install
from inspiracle.shop.mockups import Placement
from inspiracle.shop.models import Product, ProductType, Variant
from inspiracle.shop.services.orders import Address
from inspiracle.shop.services.products import ProductDraft, product_approve, product_create

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
EXPIRED_CARD = "4000 0000 0000 0069"
CAPTURE_FAILS_CARD = "4000 0000 0000 0341"
ADDRESS = Address(name="Wang Buyer 王买家", phone="13800001234", address="上海市 Somewhere Road 1")


@pytest.fixture
def catalogue(db):
    """The shipped catalogue. A data migration installs it, but a transactional test empties every table after
    it ran, so the tests that need it ask for it (installing is a no-op when it is there)."""
    catalogue_install(django_apps)


@pytest.fixture
def tshirt(catalogue):
    return ProductType.objects.get(slug="tshirt")


@pytest.fixture
def draft(tshirt):
    """``draft(work, **changes)``: a T-shirt of ``work`` in white M and black M, at a price above the floor."""

    def draft(work, **changes):
        variants = Variant.objects.filter(product_type=tshirt, size="M", colour__in=["#ffffff", "#1f1f1f"])
        values = {
            "work_id": work.pk,
            "product_type_id": tshirt.pk,
            "variant_ids": tuple(v.pk for v in variants),
            "title": "Orange cat tee",
            "placement": Placement(x=0.5, y=0.4, scale=0.6),
            "price_fen": 99_00,
        }
        values.update(changes)
        return ProductDraft(**values)

    return draft


@pytest.fixture
def on_sale(published_work, ana, mo, draft, django_capture_on_commit_callbacks):
    """``on_sale(**draft_changes)``: one of Ana's works made into an approved T-shirt, mockups rendered."""

    def on_sale(**changes) -> Product:
        work = published_work()
        with django_capture_on_commit_callbacks(execute=True):
            product = product_create(maker=ana, draft=draft(work, **changes))
        return product_approve(moderator=mo, product=product)

    return on_sale


@pytest.fixture
def sam(agreements):
    return make_user("sam")
