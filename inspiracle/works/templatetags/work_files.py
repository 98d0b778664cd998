"""Where a page's ``<img>`` points for a work's derivative (works/files.py decides: the public, cacheable address of
a published work's file, or the access-checked one)."""

from django import template

from inspiracle.works import files
from inspiracle.works.models import Work, WorkFile

register = template.Library()


@register.simple_tag
def derivative_url(work: Work, row: WorkFile, kind: str) -> str:
    return files.derivative_url(work, row, kind)
