"""``{% load file_kinds %}{{ doc.content_type|file_kind }}``: a file's type in words ("PDF document"), not
its MIME type, in the reader's language. A type not listed here is shown as it is."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FILE_KINDS = {
    "application/pdf": _("PDF document"),
    "image/jpeg": _("JPEG image"),
    "image/png": _("PNG image"),
    "image/webp": _("WebP image"),
    "image/gif": _("GIF image"),
    "image/tiff": _("TIFF image"),
    "text/plain": _("Text file"),
    "application/zip": _("ZIP archive"),
    "application/msword": _("Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Word document"),
    "application/octet-stream": _("File of unknown type"),
}


@register.filter
def file_kind(content_type: str) -> str:
    base = (content_type or "").split(";")[0].strip().lower()
    label = FILE_KINDS.get(base)
    return str(label) if label is not None else content_type
