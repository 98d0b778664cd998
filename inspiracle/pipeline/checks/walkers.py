"""One walker per format: dimensions, frame count and where the picture ends, read from the headers alone.

Each walker records where the compressed pixel data lies, so that the hidden-content rule never searches it.
"""

import io
import re
import struct
import zlib
from typing import Literal

from PIL import PngImagePlugin, TiffImagePlugin

from inspiracle.pipeline.checks.hidden import has_markup
from inspiracle.pipeline.checks.layout import CORRUPT, PAGE_LOOP, TEXT_BOMB, TRUNCATED, _Layout

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
        lay.scans += extra.scans
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
            # Every scan is one more pass over the whole picture in the decoder: counted here so that a small
            # progressive JPEG with thousands of passes (minutes of CPU) is refused before any decoding.
            lay.scans += 1
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
            lay.raw_size = png_raw_size(lay.width, lay.height, bits, interlaced=bool(interlace))
        elif kind == b"acTL":
            lay.frames = int.from_bytes(buf[start : start + 4])
        elif kind in (b"IDAT", b"fdAT"):
            lay.pixels.append((start, stop))
            if kind == b"IDAT":
                lay.first_frame.append((start, stop))
        elif kind in (b"zTXt", b"iTXt", b"iCCP"):
            try:
                text, offset = _png_text(kind, buf[start:stop])
            except (zlib.error, ValueError) as exc:
                lay.problem = TEXT_BOMB if isinstance(exc, ValueError) else CORRUPT
                text, offset = b"", None
            if offset is not None:  # the scanner sees only deflated bytes: they are inflated for it
                lay.packed.append((start + offset, stop, PngImagePlugin.MAX_TEXT_CHUNK))
            # Same budgets as Pillow, so the decode steps after this one cannot fail where this one passed.
            text_total += len(text)
            if text_total > PngImagePlugin.MAX_TEXT_MEMORY:
                lay.problem = TEXT_BOMB
            lay.markup_in_text = lay.markup_in_text or has_markup(text)
        elif kind == b"IEND":
            lay.end = stop + 4
            return lay
        pos = stop + 4
    lay.problem, lay.end = TRUNCATED, n
    lay.pixels.append((pos, n))
    return lay


def png_raw_size(width: int, height: int, bits: int, *, interlaced: bool) -> int:
    """The bytes a PNG's IDAT stream inflates to: every row of every pass (Adam7 has seven; one too small for
    the picture has no rows at all) as one filter byte and its pixels, ``bits`` each, padded to whole bytes."""
    size = 0
    for x0, y0, dx, dy in _ADAM7 if interlaced else ((0, 0, 1, 1),):
        cols, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        size += rows * (1 + (cols * bits + 7) // 8) if cols > 0 and rows > 0 else 0
    return size


def _png_text(kind: bytes, data: bytes) -> tuple[bytes, int | None]:
    """The inflated text (or ICC profile) of a compressed chunk and where its zlib data starts in ``data``;
    (b"", None) for an uncompressed iTXt, already searchable and scannable as it is."""
    rest = data.partition(b"\x00")[2]  # after the keyword
    if kind == b"iTXt":
        if not rest.startswith(b"\x01"):
            return b"", None
        rest = rest[2:].split(b"\x00", 2)[-1]  # skip flag, method, language and translated keyword
    else:
        rest = rest[1:]  # skip the compression method
    inflater = zlib.decompressobj()
    text = inflater.decompress(rest, PngImagePlugin.MAX_TEXT_CHUNK)
    if inflater.unconsumed_tail:
        raise ValueError("text chunk over Pillow's limit")
    return text, len(data) - len(rest)


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
    big = 43 in buf[2:4]
    order: Literal["little", "big"] = "little" if buf.startswith(b"II") else "big"
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
            deflated = ifd.get(259) in _TIFF_DEFLATE
            # A page's pixels inflate to at most 8 bytes a pixel (16-bit RGBA); a strip is part of a page.
            bound = (_tiff_int(ifd.get(256)) or 0) * (_tiff_int(ifd.get(257)) or 0) * 8
            for offsets, counts in ((273, 279), (324, 325)):  # strips, tiles
                pieces = zip(_tiff_tuple(ifd.get(offsets)), _tiff_tuple(ifd.get(counts)), strict=False)
                spans = [(start, start + count) for start, count in pieces]
                lay.pixels.extend(spans)
                if deflated:
                    lay.packed.extend((start, stop, bound) for start, stop in spans)
            offset = ifd.next
    except Exception:  # Pillow's tag parser meets hostile bytes here; any failure means broken
        lay.problem = CORRUPT
    lay.frames = max(lay.frames, 1)
    return lay


_TIFF_DEFLATE = {8, 32946}  # Adobe deflate and the older code for the same


def _tiff_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else () if value is None else (value,)


def _tiff_int(value) -> int | None:
    value = _tiff_tuple(value)[:1]
    return value[0] if value and isinstance(value[0], int) else None


_WALKERS = {"JPEG": _walk_jpeg, "PNG": _walk_png, "GIF": _walk_gif, "WEBP": _walk_webp, "TIFF": _walk_tiff}
