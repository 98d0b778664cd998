import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from inspiracle.shop.models import Mockup
from inspiracle.shop.services.mockups import mockups_render, print_files_render

log = logging.getLogger(__name__)
LOST_AFTER = timedelta(minutes=2)  # a render takes seconds; a job still pending after this was lost


@shared_task(name="shop.render_mockups", acks_late=True)
def render_mockups(product_id: int) -> int:
    """COM-4: a product's mockups, one per colour, rendered off the request."""
    return mockups_render(product_id)


@shared_task(name="shop.render_print_files", acks_late=True)
def render_print_files(order_id: int) -> int:
    """COM-4: the print files of an order going into production, from the originals."""
    return print_files_render(order_id)


@shared_task(name="shop.requeue_mockups")
def requeue_mockups() -> int:
    """Queue again the products whose mockups are still pending long after they were made."""
    stale = timezone.now() - LOST_AFTER
    ids = list(
        Mockup.objects.filter(status=Mockup.Status.PENDING, product__created_at__lt=stale)
        .values_list("product_id", flat=True)
        .distinct()
    )
    for product_id in ids:
        render_mockups.delay(product_id)
    if ids:
        log.info("requeued the mockups of %d products", len(ids))
    return len(ids)
