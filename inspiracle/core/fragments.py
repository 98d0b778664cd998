"""Rendered fragments of public pages, cached under the generation counters of what they show.

A page whose content is the same for every reader (a gallery grid, the shop's cards) keeps the rendered HTML
under a key made of the language, the query parameters it reads and the current numbers of the generations it
depends on (``core.generations``). The owner of that data bumps its number in the transaction of a change, so a
change shows at once, in every process, and an unchanged page costs one small query (bench/web.py,
bench/shop.py)."""

import hashlib
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from inspiracle.core.generations import generations

FRAGMENT_SECONDS = 300


def cached_fragment(
    *,
    name: str,
    request,
    asked: Sequence[str],
    depends_on: Sequence[str],
    render: Callable[[], str],
    extra: object = "",
    seconds: int = FRAGMENT_SECONDS,
) -> SafeString:
    """The fragment ``render()`` makes, from the cache when nothing it depends on changed. ``asked`` names the
    query parameters the fragment reads, ``extra`` anything else that tells two fragments apart. A fragment that
    depends on no generation (aggregates that may lag, such as the transparency figures) lives ``seconds``."""
    asked_values = [(field, request.GET.get(field, "")) for field in asked]
    numbers = generations(depends_on) if depends_on else ""
    parts = (get_language(), asked_values, str(extra), numbers)
    key = f"fragment:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, seconds)
    # Our own template's output, escaped when it was rendered.
    return mark_safe(content)  # noqa: S308
