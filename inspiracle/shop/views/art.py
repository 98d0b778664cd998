"""The catalogue's template pictures (COM-4): a product type drawn in one of its colours, as the make-product
page's cards and live preview show it. Public: they show no one's work, only the blank product."""

import io
from functools import lru_cache

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from PIL import Image

from inspiracle.core.errors import NotFound
from inspiracle.core.http import same_for_everyone
from inspiracle.shop.art import template_art
from inspiracle.shop.models import ProductType, Variant

# Half the template's size: enough for a card and for the preview (which scales the print area's box to
# it); a quarter of the bytes.
ART_SIZE = 600
ONE_DAY = 24 * 60 * 60


@lru_cache(maxsize=32)  # a handful of types in a handful of colours; drawing one costs 30-150 ms
def _webp(template: str, colour: str) -> bytes:
    picture = template_art(template, colour).base.resize((ART_SIZE, ART_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "WEBP", quality=82)
    return out.getvalue()


@require_safe
def template_picture(request, slug: str, colour: str) -> HttpResponse:
    """``colour`` is the variant's hex without "#"; a colour the type does not come in is "not found"."""
    product_type = ProductType.objects.filter(slug=slug).first()
    if (
        product_type is None
        or not Variant.objects.filter(product_type=product_type, colour=f"#{colour}").exists()
    ):
        raise NotFound(_("There is no such product picture."))
    response = HttpResponse(_webp(product_type.template, f"#{colour}"), content_type="image/webp")
    # The drawing of a template never changes for a given type and colour (it is code, not an upload).
    response["Cache-Control"] = f"public, max-age={ONE_DAY}"
    response["X-Content-Type-Options"] = "nosniff"
    return same_for_everyone(response)
