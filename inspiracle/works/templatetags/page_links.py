"""The numbered links of a paginated list (works/_pages.html): the first and last page, and the pages around the
current one, with a gap (``None``) for the pages left out."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.filter
def elided_pages(paginator: Paginator, number: int) -> list[int | None]:
    pages = paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
    return [n if isinstance(n, int) else None for n in pages]
