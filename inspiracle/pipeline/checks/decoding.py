"""The last check: a decode of the first frame, so that a broken file gets a plain reason, not an exception."""

import io
import logging
import zlib

from PIL import (
    GifImagePlugin,
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from inspiracle.pipeline.checks.layout import (
    CHECKSUM,
    CORRUPT,
    TEXT_BOMB,
    TOO_LITTLE_DATA,
    TOO_MUCH_DATA,
    TRUNCATED,
    UNREADABLE,
    _Layout,
)
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
    if fmt == "PNG":
        _inflate_png(buf, lay)


def _inflate_png(buf: bytes, lay: _Layout) -> None:
    inflater, produced, view = zlib.decompressobj(), 0, memoryview(buf)
    pieces: list[memoryview | bytes] = [
        view[i : min(i + 65536, stop)] for start, stop in lay.first_frame for i in range(start, stop, 65536)
    ]
    try:
        for piece in [*pieces, b""]:  # the final empty piece drains output zlib still holds
            data = piece
            while out := inflater.decompress(data, 1 << 20):
                produced += len(out)
                if produced > lay.raw_size:
                    raise FileRefused("damaged", detail=TOO_MUCH_DATA)
                data = inflater.unconsumed_tail
    except zlib.error as exc:
        raise FileRefused("damaged", detail=CORRUPT) from exc
    if not inflater.eof:
        raise FileRefused("damaged", detail=TRUNCATED)
    if produced < lay.raw_size:
        raise FileRefused("damaged", detail=TOO_LITTLE_DATA)


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
