"""Avatars go through the same checks as works (ACC-1, WRK-2) while the person waits for the answer, but never
in the web worker itself: checking and decoding run in a child process under CPU, memory and time limits
(sandbox.py), so a hostile picture costs its sender a refusal, not everyone a stalled site. The stored avatar
is a re-encoded square, never the upload."""

import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from inspiracle.core.errors import ApplicationError
from inspiracle.pipeline import checks, clamav, imaging, sandbox
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
            # Decoded before the scan, unlike works: in a throwaway child under limits, and nothing of it is
            # kept unless the scan after it is clean.
            square = sandbox.run_limited(lambda: _square(path, name))
            result = clamav.scan_file_and_unpacked(path, tuple(tuple(span) for span in square["packed"]))
            if result.status == "infected":
                raise FileRefused("malware", signature=result.signature)
        except FileRefused as refusal:
            raise ApplicationError(refusal.message, fields={"avatar": [refusal.message]}) from None
        except clamav.ScannerUnavailable:
            raise ApplicationError(
                _("The malware scanner is not reachable just now; try again in a few minutes."),
                status=503,
                code="scanner_unavailable",
            ) from None
    # Pixels the child made from the upload, raw RGB of a known size: nothing left to parse.
    image = Image.frombytes("RGB", (AVATAR_SIZE, AVATAR_SIZE), sandbox.unb64(square["rgb_b64"]))
    out = BytesIO()
    image.save(out, "WEBP", quality=85, method=4)
    return CheckedAvatar(webp=out.getvalue(), fingerprint=fingerprint(image))


def _square(path: Path, name: str) -> dict:
    """In the child: check, decode and crop the upload to the avatar's square."""
    inspection = checks.inspect_upload(
        path,
        name=name,
        max_bytes=settings.AVATAR_MAX_BYTES,
        max_pixels=settings.IMAGE_MAX_PIXELS,
        max_frames=settings.IMAGE_MAX_FRAMES,
        max_scans=settings.IMAGE_MAX_SCANS,
        decode_follows=True,
    )
    image = imaging.decode(path, max_pixels=settings.IMAGE_MAX_PIXELS, target=AVATAR_SIZE * 2)
    square = ImageOps.fit(image.convert("RGB"), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    return {"rgb_b64": sandbox.b64(square.tobytes()), "packed": [list(span) for span in inspection.packed]}
