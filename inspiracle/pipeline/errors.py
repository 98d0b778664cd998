"""Why the pipeline refuses a file: one code per reason, each with a sentence that says what to do (WRK-2).

Every step raises ``FileRefused(code, **params)``; the runner stores the code and its parameters and the pages
and the API render the message in the reader's language when they show it.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASONS = {
    "empty": _("The file is empty (0 bytes). Choose the image file again; the copy may not have finished."),
    "too_small": _(
        "The file is only %(size)s, too small to hold any image. Choose the image file again; the copy may not "
        "have finished."
    ),
    "too_large": _(
        "The file is %(size)s; the limit is %(limit)s per file. Export it at a smaller size or with more compression."
    ),
    "not_image": _(
        "This file is %(detected)s named “%(name)s”, not an image. Upload a JPEG, PNG, WebP, GIF or TIFF image."
    ),
    "unsupported_image": _(
        "This image is in %(detected)s format, which is not accepted. Convert it to JPEG, PNG, WebP, GIF or TIFF."
    ),
    "hidden_content": _(
        "The file hides %(detected)s inside or after the picture. Re-export the image from your editor so that "
        "it contains only the picture."
    ),
    "too_many_pixels": _(
        "The image is %(width)s x %(height)s pixels; the limit is %(limit)s megapixels. Scale it down and upload it again."
    ),
    "no_pixels": _("The image is %(width)s x %(height)s pixels: there is no picture in it."),
    "too_many_frames": _(
        "The image has %(frames)s frames; the limit is %(limit)s. Upload a still image or a shorter animation."
    ),
    "too_many_scans": _(
        "The JPEG is saved in %(scans)s progressive passes; the limit is %(limit)s. Save it again as a standard "
        "(baseline) JPEG or as PNG and upload the new copy."
    ),
    "too_slow": _(
        "Reading the image took longer than %(seconds)s seconds, so it was stopped. Save it again as a standard "
        "JPEG or PNG at a smaller size and upload the new copy."
    ),
    "damaged": _(
        "The image data is damaged or incomplete (%(detail)s). Open it in your editor, save it again and upload "
        "the new copy."
    ),
    "malware": _(
        "Malware signature %(signature)s found. The file was deleted; check your computer before uploading again."
    ),
    "scan_failed": _(
        "The malware scanner could not check this file (%(detail)s). Upload it again later; if this keeps "
        "happening, contact support."
    ),
}


class FileRefused(Exception):
    """A file the pipeline will not accept. ``params`` fill the reason's sentence; keep them short and plain
    (numbers, a format name, a file name), never the file's bytes."""

    def __init__(self, code: str, **params):
        if code not in REASONS:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = {key: str(value) for key, value in params.items()}

    @property
    def message(self) -> str:
        return reason_message(self.code, self.params)


# Parameters that are phrases ("a ZIP archive", "the file ends before the picture does"): stored in English,
# marked with gettext_noop where they are made, and translated when the reason is shown.
PHRASE_PARAMS = ("detected", "detail")


def reason_message(code: str, params: dict) -> str:
    """The reason in the active language; a missing parameter shows as '?' rather than failing."""
    template = str(REASONS.get(code, code))
    values = {key: gettext(value) if key in PHRASE_PARAMS else value for key, value in params.items()}
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return template % _Missing(values)


class _Missing(dict):
    def __missing__(self, key):
        return "?"
