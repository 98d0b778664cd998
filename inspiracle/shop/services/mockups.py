"""Rendering a product's mockups (COM-4) in a worker: one picture per colour, from the work's original (read in
the worker, never copied out of private storage), kept as a derivative in private storage."""

import io
import logging
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from inspiracle.core.storage import private
from inspiracle.pipeline.imaging import decode
from inspiracle.shop.mockups import Placement, render_mockup
from inspiracle.shop.models import Mockup, Product
from inspiracle.works.models import WorkFile

log = logging.getLogger(__name__)
SOURCE_LONG_SIDE = 2400  # enough for a 1200 px mockup of any placement up to twice the area's width


def _source_picture(product: Product) -> Image.Image:
    file = product.work.files.filter(status=WorkFile.Status.READY).order_by("position", "pk").first()
    if file is None or not file.original:
        raise ValueError("the work has no checked picture")
    with tempfile.TemporaryDirectory() as scratch, private.open(file.original.name, "rb") as source:
        path = Path(scratch) / "original"
        path.write_bytes(source.read())
        return decode(path, max_pixels=settings.IMAGE_MAX_PIXELS, target=SOURCE_LONG_SIDE)


def _store(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=82, method=0)
    return private.save(f"shop/mockups/{secrets.token_hex(16)}.webp", ContentFile(buffer.getvalue()))


def mockups_render(product_id: int) -> int:
    """Render the product's pending mockups; returns how many became ready. A failure marks them failed (the
    maker sees it and may make the product again) instead of leaving them pending for ever."""
    product = (
        Product.objects.select_related("work", "product_type", "print_area").filter(pk=product_id).first()
    )
    if product is None:
        return 0
    pending = list(product.mockups.filter(status=Mockup.Status.PENDING))
    if not pending:
        return 0
    placement = Placement(x=product.placement_x, y=product.placement_y, scale=product.placement_scale)
    try:
        picture = _source_picture(product)
    except Exception:  # a decoding failure of a checked file is unexpected, but must not leave it pending
        log.exception("mockups of product %s: the source could not be read", product.pk)
        Mockup.objects.filter(pk__in=[m.pk for m in pending]).update(status=Mockup.Status.FAILED)
        return 0
    ready = 0
    for mockup in pending:
        try:
            image = render_mockup(
                picture=picture,
                template=product.product_type.template,
                colour=mockup.colour,
                area=product.print_area.spec,
                placement=placement,
            )
            name = _store(image)
        except Exception:
            log.exception("mockup %s failed", mockup.pk)
            Mockup.objects.filter(pk=mockup.pk, status=Mockup.Status.PENDING).update(
                status=Mockup.Status.FAILED
            )
            continue
        with transaction.atomic():
            updated = Mockup.objects.filter(pk=mockup.pk, status=Mockup.Status.PENDING).update(
                status=Mockup.Status.READY, name=name, rendered_at=timezone.now()
            )
        if not updated:  # rendered twice (a redelivered job): keep the first, drop this copy
            private.delete(name)
        ready += updated
    return ready
