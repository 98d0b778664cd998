"""Avatars go through the same checks as works (ACC-1, WRK-2), in the request: they are small, and the
person waits for the answer. The stored avatar is a re-encoded square, never the upload."""

import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from inspiracle.core.errors import ApplicationError
from inspiracle.pipeline import checks, clamav, imaging
from inspiracle.pipeline.errors import FileRefused
from inspiracle.similarity.hashing import Fingerprint, fingerprint

AVATAR_SIZE = 256


@dataclass(frozen=True)
class CheckedAvatar:
    webp: bytes
    fingerprint: Fingerprint


def avatar_check(data: bytes, *, name: str = "avatar") -> CheckedAvatar:
    """The upload, checked and re-encoded, or an ApplicationError that says why not."""
    with tempfile.TemporaryDirectory(prefix="inspiracle-avatar-") as scratch:
        path = Path(scratch) / "avatar"
        path.write_bytes(data)
        try:
            checks.inspect_upload(
                path,
                name=name,
                max_bytes=settings.AVATAR_MAX_BYTES,
                max_pixels=settings.IMAGE_MAX_PIXELS,
                max_frames=settings.IMAGE_MAX_FRAMES,
                decode_follows=True,
            )
            result = clamav.scan_file(path)
            if result.status == "infected":
                raise FileRefused("malware", signature=result.signature)
            image = imaging.decode(path, max_pixels=settings.IMAGE_MAX_PIXELS, target=AVATAR_SIZE * 2)
        except FileRefused as refusal:
            raise ApplicationError(refusal.message, fields={"avatar": [refusal.message]}) from None
        except clamav.ScannerUnavailable:
            raise ApplicationError(
                _("The malware scanner is not reachable just now; try again in a few minutes."),
                status=503,
                code="scanner_unavailable",
            ) from None
    square = ImageOps.fit(image.convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    out = BytesIO()
    square.save(out, "WEBP", quality=85, method=4)
    return CheckedAvatar(webp=out.getvalue(), fingerprint=fingerprint(square))
