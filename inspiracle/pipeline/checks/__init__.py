"""The first step of the upload pipeline: decide from the bytes alone whether a file is an acceptable image (WRK-2).

The checks run cheapest first and each trusts only what the ones before it proved: the size; the real type from
the magic bytes, never the name; the dimensions and frame count read from the headers before a single pixel is
decoded (a bomb is a small file that claims a huge picture); content hidden inside or after the picture; and last
a decode of the first frame, which turns a broken file into a plain reason instead of an exception.

One module per check, in that order: sniffing.py (the type), walkers.py (the structure, into the record of
layout.py), hidden.py and decoding.py; names.py words file names and sizes for the uploader. idat.py inflates a
PNG's pixel data counted against its header, for decoding.py or, when a decode follows, for imaging.decode.
"""

from dataclasses import dataclass
from pathlib import Path

# inspect_upload calls every check through a name bound here, so a test can replace one (test_checks.py
# replaces _verify_decode to prove that bombs never reach the decoder).
from inspiracle.pipeline.checks.decoding import _verify_decode, _verify_png_checksums
from inspiracle.pipeline.checks.hidden import _check_hidden
from inspiracle.pipeline.checks.layout import NO_HEADER
from inspiracle.pipeline.checks.names import _megapixels, safe_filename, sizes_apart
from inspiracle.pipeline.checks.packed import unpacked
from inspiracle.pipeline.checks.sniffing import sniff
from inspiracle.pipeline.checks.walkers import _WALKERS
from inspiracle.pipeline.errors import FileRefused

__all__ = [
    "MAX_SCANS",
    "MIME",
    "Inspection",
    "inspect_upload",
    "safe_filename",
    "sizes_apart",
    "sniff",
    "unpacked",
]

# libjpeg-turbo's own default for its scan limit (djpeg -maxscans); cameras and editors write 1 (baseline) or
# about 10 (progressive). Each scan is another pass over the whole picture: 20,000 of them took minutes.
MAX_SCANS = 500
# No image of an accepted format fits in fewer bytes (the smallest GIFs decoders still show are 14 bytes):
# anything shorter is called too small rather than "plain text".
MIN_IMAGE_BYTES = 14

MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
}


@dataclass(frozen=True)
class Inspection:
    format: str
    mime: str
    width: int
    height: int
    frames: int
    size: int
    packed: tuple[tuple[int, int, int], ...] = ()  # zlib streams to inflate for the malware scan


def inspect_upload(
    path: Path,
    *,
    name: str,
    max_bytes: int,
    max_pixels: int,
    max_frames: int,
    max_scans: int = MAX_SCANS,
    decode_follows: bool = False,
) -> Inspection:
    """What the file at ``path`` really is, or FileRefused with the first reason it fails. ``name`` is the
    uploader's file name, used only in the message. With ``decode_follows`` the caller decodes the picture
    next with imaging.decode (refusing damage as "damaged" itself), so only PNG's checksums are verified here:
    a 12-megapixel JPEG is then entropy-decoded once, not twice, and a PNG's IDAT stream inflated once, by the
    decode, which counts it against the image size as this step would (idat.py; bench/pipeline.py)."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("empty")
    if size > max_bytes:
        shown, limit = sizes_apart(size, max_bytes)
        raise FileRefused("too_large", size=shown, limit=limit)
    # max_bytes bounds this read; every later check works on the same bytes without reading the file again.
    data = path.read_bytes()
    kind, label = sniff(data[:4096])
    if kind == "other" and size < MIN_IMAGE_BYTES:
        raise FileRefused("too_small", size=sizes_apart(size, size)[0])
    if kind == "other":
        raise FileRefused("not_image", detected=label, name=safe_filename(name))
    if kind == "unsupported":
        raise FileRefused("unsupported_image", detected=label)
    layout = _WALKERS[label](data, max_frames)
    if layout.width is None or layout.height is None:
        raise FileRefused("damaged", detail=layout.problem or NO_HEADER)
    if layout.width == 0 or layout.height == 0:
        raise FileRefused("no_pixels", width=f"{layout.width:,}", height=f"{layout.height:,}")
    if layout.width * layout.height > max_pixels:
        raise FileRefused(
            "too_many_pixels",
            width=f"{layout.width:,}",
            height=f"{layout.height:,}",
            limit=_megapixels(max_pixels),
        )
    if layout.frames > max_frames:
        frames = f"more than {max_frames:,}" if layout.frames_cut else f"{layout.frames:,}"
        raise FileRefused("too_many_frames", frames=frames, limit=f"{max_frames:,}")
    if layout.scans > max_scans:
        raise FileRefused("too_many_scans", scans=f"{layout.scans:,}", limit=f"{max_scans:,}")
    _check_hidden(data, layout)
    if layout.problem:
        raise FileRefused("damaged", detail=layout.problem)
    if not decode_follows:
        _verify_decode(data, label, layout)
    elif label == "PNG":
        _verify_png_checksums(data, layout)
    return Inspection(
        label, MIME[label], layout.width, layout.height, layout.frames, size, packed=tuple(layout.packed)
    )
