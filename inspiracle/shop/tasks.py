from celery import shared_task

from inspiracle.shop.services.mockups import mockups_render


@shared_task(name="shop.render_mockups", acks_late=True)
def render_mockups(product_id: int) -> int:
    """COM-4: a product's mockups, one per colour, rendered off the request."""
    return mockups_render(product_id)
