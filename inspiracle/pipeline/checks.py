"""The first step of the upload pipeline: decide from the bytes alone whether a file is an acceptable image (WRK-2).

The checks run cheapest first and each trusts only what the ones before it proved: the size; the real type from
the magic bytes, never the name; the dimensions and frame count read from the headers before a single pixel is
decoded (a bomb is a small file that claims a huge picture); content hidden inside or after the picture; and last
a decode of the first frame, which turns a broken file into a plain reason instead of an exception.
"""

import io
import logging
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import GifImagePlugin, Image, JpegImagePlugin, PngImagePlugin, TiffImagePlugin, WebPImagePlugin

from inspiracle.pipeline.errors import FileRefused

log = logging.getLogger(__name__)

MIME = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
}

TRUNCATED = "the file ends before the image data does"
CORRUPT = "the picture data is corrupt"
NO_HEADER = "the image header is missing"
CHECKSUM = "a checksum does not match, so the file changed after it was saved"
TEXT_BOMB = "a text note in the file is too large to unpack safely"
TOO_MUCH_DATA = "the picture data is larger than the image size allows"
TOO_LITTLE_DATA = "the picture data is smaller than the image size needs"
PAGE_LOOP = "its list of pages loops back on itself"
UNREADABLE = "it stores its pixels in a way we cannot read"


@dataclass(frozen=True)
class Inspection:
    format: str
    mime: str
    width: int
    height: int
    frames: int
    size: int


def inspect_upload(path: Path, *, name: str, max_bytes: int, max_pixels: int, max_frames: int) -> Inspection:
    """What the file at ``path`` really is, or FileRefused with the first reason it fails. ``name`` is the
    uploader's file name, used only in the message."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused("empty")
    if size > max_bytes:
        raise FileRefused("too_large", size=_human_size(size), limit=_human_size(max_bytes))
    # max_bytes bounds this read; every later check works on the same bytes without reading the file again.
    data = path.read_bytes()
    kind, label = sniff(data[:4096])
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
    _check_hidden(data, layout)
    if layout.problem:
        raise FileRefused("damaged", detail=layout.problem)
    _verify_decode(data, label, layout)
    return Inspection(label, MIME[label], layout.width, layout.height, layout.frames, size)


# --- type by content --------------------------------------------------------------------------------------------

UNKNOWN = "an unknown kind of file"
_SIGNATURES = [  # (prefix, kind, label), most specific first
    (b"\xff\xd8\xff", "image", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image", "PNG"),
    (b"GIF87a", "image", "GIF"),
    (b"GIF89a", "image", "GIF"),
    (b"II*\x00", "image", "TIFF"),
    (b"MM\x00*", "image", "TIFF"),
    (b"II+\x00", "image", "TIFF"),
    (b"MM\x00+", "image", "TIFF"),
    (b"8BPS", "unsupported", "Photoshop PSD"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "unsupported", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "unsupported", "JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "unsupported", "JPEG XL"),
    (b"\xff\x0a", "unsupported", "JPEG XL"),
    (b"gimp xcf", "unsupported", "GIMP XCF"),
    (b"PK\x03\x04", "other", "a ZIP archive"),
    (b"PK\x05\x06", "other", "a ZIP archive"),
    (b"Rar!\x1a\x07", "other", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "other", "a 7-Zip archive"),
    (b"\x1f\x8b", "other", "a gzip archive"),
    (b"%PDF-", "other", "a PDF document"),
    (b"%!PS", "other", "a PostScript document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "other", "an Office document"),
    (b"MZ", "other", "an executable program"),
    (b"\x7fELF", "other", "an executable program"),
    (b"\xcf\xfa\xed\xfe", "other", "an executable program"),
    (b"\x1aE\xdf\xa3", "other", "a video"),
    (b"OggS", "other", "a sound or video file"),
    (b"ID3", "other", "a sound file"),
]
_RIFF = {b"WEBP": ("image", "WEBP"), b"AVI ": ("other", "a video"), b"WAVE": ("other", "a sound file")}
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}


def sniff(head: bytes) -> tuple[str, str]:
    """("image", format) | ("unsupported", format name) | ("other", a phrase such as "a ZIP archive")."""
    for prefix, kind, label in _SIGNATURES:
        if head.startswith(prefix):
            return kind, label
    if head.startswith(b"RIFF"):
        return _RIFF.get(head[8:12], ("other", UNKNOWN))
    if head[4:8] == b"ftyp":
        size = int.from_bytes(head[:4])
        brands = {head[i : i + 4] for i in range(8, min(size, len(head)), 4)}
        if brands & {b"avif", b"avis"}:
            return "unsupported", "AVIF"
        if brands & {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}:
            return "unsupported", "HEIC"
        return "other", "a video"
    if head.startswith(b"BM") and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "unsupported", "BMP"
    if head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and head[4:6] != b"\x00\x00":
        return "unsupported", "ICO"
    text = _as_text(head)
    return ("other", _describe_text(text)) if text is not None else ("other", UNKNOWN)


def _as_text(head: bytes) -> str | None:
    for cut in range(4):  # the 4 KB sample may end inside a multi-byte character
        try:
            text = head[: len(head) - cut].decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        return text if all(ch.isprintable() or ch in "\t\n\r\f\v" for ch in text) else None
    return None


def _describe_text(text: str) -> str:
    lower = text.lower()
    if lower.lstrip().startswith(("<!doctype html", "<html")):
        return "an HTML page"
    if "<svg" in lower:
        return "an SVG drawing"
    if any(tag in lower for tag in ("<script", "<body", "<head", "<iframe")):
        return "an HTML page"
    if "<?php" in lower:
        return "a PHP script"
    if lower.lstrip().startswith("<?xml"):
        return "an XML document"
    return "a script" if text.startswith("#!") else "plain text"


# --- structure: dimensions, frames, where the picture ends ------------------------------------------------------


@dataclass
class _Layout:
    width: int | None = None
    height: int | None = None
    frames: int = 1
    frames_cut: bool = False  # counting stopped past the limit
    end: int = 0  # where the image's own structure ends; anything after it is a tail
    # compressed pixel data: never searched as text
    pixels: list[tuple[int, int]] = field(default_factory=list)
    problem: str | None = None
    markup_in_text: bool = False  # PNG text that only shows its markup once decompressed
    first_frame: list[tuple[int, int]] = field(default_factory=list)  # PNG IDAT
    raw_size: int = 0  # PNG: bytes the IDAT stream must inflate to


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# Markers allowed after entropy-coded data: tables, the next scan, restart bookkeeping, APPn/COM, end of image.
_AFTER_SCAN = {0xC4, 0xCC, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xFE, *range(0xE0, 0xF0)}
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # FF00 is a stuffed byte, FFD0-D7 restart markers


def _walk_jpeg(buf: bytes, frame_cap: int) -> _Layout:
    lay = _Layout()
    _walk_one_jpeg(buf, 0, lay)
    # MPO files from many cameras put further complete JPEGs after the first one's EOI: walk them too, so that
    # their pixel data is not searched as if it were hidden text. One that does not parse is left as a tail.
    while not lay.problem and buf.startswith(b"\xff\xd8\xff", lay.end):
        extra = _Layout()
        _walk_one_jpeg(buf, lay.end, extra)
        if extra.problem:
            break
        lay.pixels += extra.pixels
        lay.end = extra.end
    return lay


def _walk_one_jpeg(buf: bytes, pos: int, lay: _Layout) -> None:
    n, pos = len(buf), pos + 2
    while pos + 1 < n:
        if buf[pos] != 0xFF:  # stray bytes that decoders skip; they stay searchable
            pos = buf.find(b"\xff", pos)
            if pos < 0:
                break
            continue
        marker = buf[pos + 1]
        if marker == 0xD9:
            lay.end = pos + 2
            return
        if marker in (0x01, 0xD8, 0xFF) or 0xD0 <= marker <= 0xD7:  # fill byte or marker without a length
            pos += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(buf[pos + 2 : pos + 4])
        if length < 2 or pos + 2 + length > n:
            break
        if marker in _SOF and lay.width is None and length >= 7:
            lay.height, lay.width = struct.unpack(">HH", buf[pos + 5 : pos + 9])
        pos += 2 + length
        if marker == 0xDA:
            found = _JPEG_MARKER.search(buf, pos)
            scan_end = found.start() if found else n
            lay.pixels.append((pos, scan_end))
            if found and buf[scan_end + 1] not in _AFTER_SCAN:
                lay.problem, lay.end = CORRUPT, n
                lay.pixels.append((scan_end, n))
                return
            pos = scan_end
    lay.problem, lay.end = TRUNCATED, n
    lay.pixels.append((pos, n))


_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _walk_png(buf: bytes, frame_cap: int) -> _Layout:
    lay, n, pos, text_total = _Layout(), len(buf), 8, 0
    while pos + 12 <= n:
        length, kind = struct.unpack(">I4s", buf[pos : pos + 8])
        start, stop = pos + 8, pos + 8 + length
        if stop + 4 > n:
            break
        if kind == b"IHDR" and length >= 13 and lay.width is None:
            lay.width, lay.height, depth, color, _, _, interlace = struct.unpack(
                ">IIBBBBB", buf[start : start + 13]
            )
            bits = _PNG_CHANNELS.get(color, 4) * depth
            for x0, y0, dx, dy in _ADAM7 if interlace else ((0, 0, 1, 1),):
                cols, rows = -(-(lay.width - x0) // dx), -(-(lay.height - y0) // dy)
                lay.raw_size += rows * (1 + (cols * bits + 7) // 8) if cols > 0 and rows > 0 else 0
        elif kind == b"acTL":
            lay.frames = int.from_bytes(buf[start : start + 4])
        elif kind in (b"IDAT", b"fdAT"):
            lay.pixels.append((start, stop))
            if kind == b"IDAT":
                lay.first_frame.append((start, stop))
        elif kind in (b"zTXt", b"iTXt", b"iCCP"):
            try:
                text = _png_text(kind, buf[start:stop])
            except (zlib.error, ValueError) as exc:
                lay.problem = TEXT_BOMB if isinstance(exc, ValueError) else CORRUPT
                text = b""
            # Same budgets as Pillow, so the decode steps after this one cannot fail where this one passed.
            text_total += len(text)
            if text_total > PngImagePlugin.MAX_TEXT_MEMORY:
                lay.problem = TEXT_BOMB
            lay.markup_in_text = lay.markup_in_text or bool(_MARKUP.search(text))
        elif kind == b"IEND":
            lay.end = stop + 4
            return lay
        pos = stop + 4
    lay.problem, lay.end = TRUNCATED, n
    lay.pixels.append((pos, n))
    return lay


def _png_text(kind: bytes, data: bytes) -> bytes:
    rest = data.partition(b"\x00")[2]  # after the keyword
    if kind == b"iTXt":
        if not rest.startswith(b"\x01"):  # not compressed: already searchable as it is
            return b""
        rest = rest[2:].split(b"\x00", 2)[-1]  # skip flag, method, language and translated keyword
    else:
        rest = rest[1:]  # skip the compression method
    inflater = zlib.decompressobj()
    text = inflater.decompress(rest, PngImagePlugin.MAX_TEXT_CHUNK)
    if inflater.unconsumed_tail:
        raise ValueError("text chunk over Pillow's limit")
    return text


def _walk_gif(buf: bytes, frame_cap: int) -> _Layout:
    lay, n = _Layout(frames=0, end=len(buf)), len(buf)
    try:
        lay.width, lay.height = struct.unpack("<HH", buf[6:10])
        pos = 13 + _gif_palette(buf[10])
        while pos < n:
            block = buf[pos]
            if block == 0x3B:
                lay.end = pos + 1
                return lay
            if block == 0x21:
                pos = _gif_skip_blocks(buf, pos + 2)
            elif block == 0x2C:
                left, top, width, height = struct.unpack("<HHHH", buf[pos + 1 : pos + 9])
                lay.frames += 1
                if lay.frames > frame_cap:
                    lay.frames_cut = True
                    return lay
                if lay.width and lay.height:  # a frame past the screen grows the canvas, as Pillow does
                    lay.width, lay.height = max(lay.width, left + width), max(lay.height, top + height)
                start = pos + 10 + _gif_palette(buf[pos + 9]) + 1  # + the LZW code size byte
                pos = _gif_skip_blocks(buf, start)
                lay.pixels.append((start, pos))
            else:
                lay.problem = CORRUPT
                break
        # A GIF that stops right after its last frame, without the trailer byte, still shows everywhere.
        lay.problem = lay.problem or (None if pos == n and lay.frames else TRUNCATED)
    except (IndexError, struct.error):
        lay.problem = TRUNCATED
    lay.frames = max(lay.frames, 1)
    return lay


def _gif_palette(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _gif_skip_blocks(buf: bytes, pos: int) -> int:
    while size := buf[pos]:
        pos += size + 1
    return pos + 1


def _walk_webp(buf: bytes, frame_cap: int) -> _Layout:
    lay = _Layout(frames=0)
    declared = 8 + int.from_bytes(buf[4:8], "little")
    lay.end = min(declared, len(buf))
    pos = 12
    while pos + 8 <= lay.end:
        kind, size = buf[pos : pos + 4], int.from_bytes(buf[pos + 4 : pos + 8], "little")
        start, stop = pos + 8, pos + 8 + size
        head = buf[start : start + 10]
        if kind == b"VP8X" and len(head) >= 10:
            lay.width, lay.height = (
                1 + int.from_bytes(head[4:7], "little"),
                1 + int.from_bytes(head[7:10], "little"),
            )
        elif kind == b"VP8 " and lay.width is None and head[3:6] == b"\x9d\x01\x2a" and len(head) >= 10:
            lay.width, lay.height = (int.from_bytes(head[i : i + 2], "little") & 0x3FFF for i in (6, 8))
        elif kind == b"VP8L" and lay.width is None and head[:1] == b"\x2f" and len(head) >= 5:
            bits = int.from_bytes(head[1:5], "little")
            lay.width, lay.height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        elif kind == b"ANMF":
            lay.frames += 1
            if lay.frames > frame_cap:
                lay.frames_cut = True
                return lay
        if kind in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            lay.pixels.append((start, min(stop, lay.end)))
        pos = stop + (size & 1)
    if declared > len(buf) or pos > declared:
        lay.problem = TRUNCATED
    lay.frames = max(lay.frames, 1)
    return lay


def _walk_tiff(buf: bytes, frame_cap: int) -> _Layout:
    # TIFF has no end marker: nothing counts as a tail, and everything outside the strips and tiles is searched.
    lay, n = _Layout(frames=0, end=len(buf)), len(buf)
    reader, seen = io.BytesIO(buf), set()
    big, order = 43 in buf[2:4], "little" if buf.startswith(b"II") else "big"
    count_size, entry_size, next_size = (8, 20, 8) if big else (2, 12, 4)
    try:
        ifd = TiffImagePlugin.ImageFileDirectory_v2(buf[:16] if big else buf[:8])
        offset = ifd.next
        while offset:
            if offset in seen:
                lay.problem = PAGE_LOOP
                break
            # Pillow's parser warns and carries on when a page's directory is cut short; here that is damage.
            entries = int.from_bytes(buf[offset : offset + count_size], order)
            if offset + count_size + entries * entry_size + next_size > n:
                lay.problem = TRUNCATED
                break
            seen.add(offset)
            reader.seek(offset)
            ifd.load(reader)
            lay.frames += 1
            if lay.frames > frame_cap:
                lay.frames_cut = True
                break
            if lay.frames == 1:
                lay.width, lay.height = _tiff_int(ifd.get(256)), _tiff_int(ifd.get(257))
            for offsets, counts in ((273, 279), (324, 325)):  # strips, tiles
                pieces = zip(_tiff_tuple(ifd.get(offsets)), _tiff_tuple(ifd.get(counts)), strict=False)
                lay.pixels.extend((start, start + count) for start, count in pieces)
            offset = ifd.next
    except Exception:  # Pillow's tag parser meets hostile bytes here; any failure means broken
        lay.problem = CORRUPT
    lay.frames = max(lay.frames, 1)
    return lay


def _tiff_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else () if value is None else (value,)


def _tiff_int(value) -> int | None:
    value = _tiff_tuple(value)[:1]
    return value[0] if value and isinstance(value[0], int) else None


_WALKERS = {"JPEG": _walk_jpeg, "PNG": _walk_png, "GIF": _walk_gif, "WEBP": _walk_webp, "TIFF": _walk_tiff}


# --- hidden content ---------------------------------------------------------------------------------------------

# Why these rules do not refuse ordinary photos: they never look inside compressed pixel data (JPEG scans, PNG
# IDAT, GIF LZW, WebP bitstreams, TIFF strips), which is megabytes of near-random bytes in which short patterns turn
# up by chance. What is searched is metadata (EXIF, XMP, ICC, comments, text chunks: kilobytes, mostly text or
# small binary tables) and anything after the end of the picture. Archive and document signatures need 6 to 8
# exact bytes (about 1 chance in 10**14 per byte of random data); the markup patterns need 5 to 11 (a `<svg`
# must be followed by a space, `>` or `/`), about 1 in 10**10 per byte. A camera JPEG has under 100 KB of
# metadata; the longest legitimate tails (MPO second pictures are walked as JPEGs, motion-photo videos are a few
# MB) leave a chance of the order of 1 in 10,000 at worst. Tails are refused outright only when they start like a
# non-image file or are plain text: videos, vendor blocks and zero padding after a picture are common and harmless.
_EMBEDDED = re.compile(
    rb"PK\x03\x04[\x00-\x3f]\x00|PK\x05\x06\x00\x00\x00\x00|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|%PDF-[12]\."
)
_MARKUP = re.compile(rb"<(?:script|iframe|\?php|svg[\s/>]|html[\s>])|javascript:", re.IGNORECASE)
_HARMLESS_TAILS = {"a video", "a sound file", "a sound or video file", UNKNOWN}
MARKUP = "HTML or script code"


def _check_hidden(buf: bytes, lay: _Layout) -> None:
    tail = buf[lay.end :].strip(b"\x00\xff \t\r\n")
    if len(tail) >= 8:
        kind, label = sniff(tail[:4096])
        if kind == "other" and label not in _HARMLESS_TAILS:
            raise FileRefused(
                "hidden_content", detected="text or script code" if label == "plain text" else label
            )
    if lay.markup_in_text:
        raise FileRefused("hidden_content", detected=MARKUP)
    for start, stop in _outside(lay.pixels, len(buf)):
        if found := _EMBEDDED.search(buf, start, stop):
            raise FileRefused("hidden_content", detected=sniff(buf[found.start() : found.start() + 16])[1])
        if _MARKUP.search(buf, start, stop):
            raise FileRefused("hidden_content", detected=MARKUP)


def _outside(spans: list[tuple[int, int]], n: int) -> Iterator[tuple[int, int]]:
    """The stretches of the file not covered by ``spans``."""
    pos = 0
    for start, stop in sorted(spans):
        if start > pos:
            yield pos, min(start, n)
        pos = max(pos, stop)
    if pos < n:
        yield pos, n


# --- decode -----------------------------------------------------------------------------------------------------

# The plugin of the sniffed format is called directly: Image.open would try other formats when this one fails,
# and would apply Pillow's global pixel limit, and neither may decide here.
_PLUGINS = {
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
    pieces = [
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


# --- names and numbers ------------------------------------------------------------------------------------------

MAX_NAME = 120


def safe_filename(name: str) -> str:
    """The name we store and show for an upload: its last path part, without control characters or the
    invisible formatting characters (bidi overrides make "gpj.exe" display as "exe.jpg"), whitespace collapsed,
    at most 120 characters with the extension kept, never empty."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = re.split(r"[/\\]", name)[-1]
    # Leading dots hide files and make "..", trailing ones vanish on Windows.
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        keep = dot + ext if stem and 0 < len(ext) <= 10 else ""
        name = (stem if keep else name)[: MAX_NAME - len(keep)].rstrip(". ") + keep
    return name or "upload"


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size:,} bytes"


def _megapixels(pixels: int | None) -> str:
    return f"{(pixels or 0) / 1_000_000:,.1f}".removesuffix(".0")
