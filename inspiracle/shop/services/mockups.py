"""Rendering in a worker (COM-4): a product's mockups, one picture per colour, and an order's print files, both
from the work's original (read in the worker, never copied out of private storage) and kept in private storage."""

import io
import logging
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from inspiracle.core.generations import generation_bump
from inspiracle.core.storage import private
from inspiracle.pipeline.imaging import decode
from inspiracle.shop.mockups import Placement, print_file_size, render_mockup, render_print_file
from inspiracle.shop.models import Mockup, OrderLine, PrintFile, Product
from inspiracle.works.models import WorkFile

log = logging.getLogger(__name__)
SOURCE_LONG_SIDE = 2400  # enough for a 1200 px mockup of any placement up to twice the area's width


def _source_picture(product: Product, target: int = SOURCE_LONG_SIDE) -> Image.Image:
    file = product.work.files.filter(status=WorkFile.Status.READY).order_by("position", "pk").first()
    if file is None or not file.original:
        raise ValueError("the work has no checked picture")
    with tempfile.TemporaryDirectory() as scratch, private.open(file.original.name, "rb") as source:
        path = Path(scratch) / "original"
        path.write_bytes(source.read())
        return decode(path, max_pixels=settings.IMAGE_MAX_PIXELS, target=target)


def _store(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=82, method=0)
    return private.save(f"shop/mockups/{secrets.token_hex(16)}.webp", ContentFile(buffer.getvalue()))


def print_files_render(order_id: int) -> int:
    """Make the print file of every line of the order that has none yet; returns how many were made. A line of
    the same product as another shares nothing: each line is its own file, so a reprint never overwrites."""
    made = 0
    lines = OrderLine.objects.filter(order_id=order_id, print_file__isnull=True).select_related(
        "product__work", "product__print_area"
    )
    for line in lines:
        area = line.product.print_area.spec
        width, height = print_file_size(area)
        picture = _source_picture(line.product, target=max(width, height))
        placement = Placement(
            x=line.product.placement_x, y=line.product.placement_y, scale=line.product.placement_scale
        )
        buffer = io.BytesIO()
        render_print_file(picture=picture, area=area, placement=placement).save(buffer, "PNG", optimize=False)
        name = private.save(f"shop/print/{secrets.token_hex(16)}.png", ContentFile(buffer.getvalue()))
        try:
            with transaction.atomic():
                PrintFile.objects.create(line=line, name=name, width=width, height=height)
        except IntegrityError:  # made twice (a redelivered job): keep the first
            private.delete(name)
            continue
        made += 1
    return made


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
            generation_bump("products")  # a card's picture
        if not updated:  # rendered twice (a redelivered job): keep the first, drop this copy
            private.delete(name)
        ready += updated
    return ready
