"""The last check: a decode of the first frame, so that a broken file gets a plain reason, not an exception."""

import io
import logging

from PIL import (
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from inspiracle.pipeline.checks.idat import READ, inflate_counted
from inspiracle.pipeline.checks.layout import CHECKSUM, CORRUPT, TEXT_BOMB, TRUNCATED, UNREADABLE, _Layout
from inspiracle.pipeline.checks.names import _megapixels
from inspiracle.pipeline.errors import FileRefused

log = logging.getLogger(__name__)

# The plugin of the sniffed format is called directly: Image.open would try other formats when this one fails,
# and would apply Pillow's global pixel limit, and neither may decide here.
_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "GIF": GifImagePlugin.GifImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
    "TIFF": TiffImagePlugin.TiffImageFile,
}


def _verify_decode(buf: bytes, fmt: str, lay: _Layout) -> None:
    """Decode the first frame, as cheaply as proves it sound: the decode step after the malware scan decodes it in
    full anyway. JPEG at 1/8 scale (every coefficient is still entropy-decoded, so truncation and corrupt data
    fail, but there are 64 times fewer pixels); PNG by checking every chunk's checksum and streaming IDAT through
    zlib (at most 1 MB held) without unfiltering it; GIF, WebP and TIFF by loading the first frame."""
    _read_first_frame(buf, fmt, lay)
    if fmt == "PNG":
        view = memoryview(buf)
        inflate_counted(
            (
                view[at : min(at + READ, stop)]
                for start, stop in lay.first_frame
                for at in range(start, stop, READ)
            ),
            lay.raw_size,
        )


def _verify_png_checksums(buf: bytes, lay: _Layout) -> None:
    """_verify_decode for a PNG whose decode follows (the runner, avatars): every chunk's checksum, but not its
    IDAT stream, which that decode inflates once and counts the same way (idat.py). Inflating it here as well
    cost ~110 ms of the ~180 ms decode of a 2000 x 2000 PNG (issue 14)."""
    _read_first_frame(buf, "PNG", lay)


def _read_first_frame(buf: bytes, fmt: str, lay: _Layout) -> None:
    try:
        with _PLUGINS[fmt](io.BytesIO(buf)) as image:
            if fmt == "PNG":
                image.verify()
            else:
                if fmt == "JPEG":
                    image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Image.DecompressionBombError as exc:
        # Only reachable if settings allow more pixels than Pillow's own limit; both numbers are the operator's.
        raise FileRefused(
            "too_many_pixels",
            width=f"{lay.width:,}",
            height=f"{lay.height:,}",
            limit=_megapixels(Image.MAX_IMAGE_PIXELS),
        ) from exc
    except Exception as exc:  # decoders fed hostile bytes fail in many ways; each means "damaged"
        log.info("first-frame decode of a %s failed: %r", fmt, exc)
        raise FileRefused("damaged", detail=_plain(exc)) from exc


def _plain(exc: Exception) -> str:
    text = str(exc).lower()
    if isinstance(exc, EOFError) or "truncated" in text:
        return TRUNCATED
    if "checksum" in text or "crc" in text:
        return CHECKSUM
    if "decompressed data too large" in text or "text chunk" in text:
        return TEXT_BOMB
    if "unknown pixel mode" in text or "not supported" in text or "unsupported" in text:
        return UNREADABLE
    return CORRUPT
