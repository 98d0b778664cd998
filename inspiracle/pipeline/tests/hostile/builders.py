"""The byte-level makers the hostile corpus is built from: pictures from Pillow, and the chunks, segments,
headers and archives written by hand where no encoder would write them."""

import io
import struct
import zipfile
import zlib

import numpy as np
from PIL import Image

# Both strings in two halves, so that no file in the repository holds one whole for a desktop scanner (or the
# test signatures in tests/clamav/inspiracle-test.ndb, which match them anywhere in a file) to find.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MALWARE_TEST_MARKER = b"INSPIRACLE-MALWARE-TEST-" + b"MARKER-7f3a"


def picture(width: int = 64, height: int = 48, mode: str = "RGB", seed: int = 0) -> Image.Image:
    """A gradient with a little deterministic noise, so encoders produce realistic (not trivially small) data."""
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x * 255 // max(1, width - 1), y * 255 // max(1, height - 1), (x * y) % 256], axis=-1)
    noise = np.random.default_rng(seed).integers(0, 24, size=rgb.shape)
    image = Image.fromarray(((rgb + noise) % 256).astype(np.uint8), "RGB")
    return image if mode == "RGB" else image.convert(mode)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_by_hand(
    width: int,
    height: int,
    idat: bytes,
    *,
    depth: int = 8,
    color: int = 2,
    interlace: int = 0,
) -> bytes:
    """A PNG from its parts, for headers no encoder would write."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


def png_with(png: bytes, *chunks: bytes) -> bytes:
    """Insert chunks right after IHDR (33 bytes in)."""
    return png[:33] + b"".join(chunks) + png[33:]


def jpeg_with(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """Insert one segment right after SOI."""
    return jpeg[:2] + struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload + jpeg[2:]


def jpeg_resized_header(jpeg: bytes, width: int, height: int) -> bytes:
    sof = jpeg.index(b"\xff\xc0")
    return jpeg[: sof + 5] + struct.pack(">HH", height, width) + jpeg[sof + 9 :]


def zeros_deflated(size: int) -> bytes:
    """zlib data that inflates to ``size`` zero bytes, built 1 MB at a time so it never holds them all."""
    packer, block, out = zlib.compressobj(9), bytes(1 << 20), []
    for _ in range(size >> 20):
        out.append(packer.compress(block))
    out.append(packer.compress(bytes(size & ((1 << 20) - 1))))
    return b"".join(out) + packer.flush()


GIF_PIXEL = b"\x02\x02\x44\x01\x00"  # LZW code size 2, one block: clear, index 0, end


def gif_by_hand(width: int, height: int, frames: int, *, frame_size: tuple[int, int] = (1, 1)) -> bytes:
    """A GIF with a 2-colour palette and ``frames`` one-pixel frames: 15 bytes a frame."""
    head = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, *frame_size, 0) + GIF_PIXEL
    return head + frame * frames + b"\x3b"


def tiff_by_hand(width: int, height: int, pixels: bytes = b"\x00") -> bytes:
    """A little-endian grayscale TIFF with one strip and LONG dimensions (Pillow writes SHORT when they fit)."""
    entries = [  # (tag, type, value): 3 SHORT, 4 LONG
        (256, 4, width),
        (257, 4, height),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 0),  # patched below
        (277, 3, 1),
        (278, 4, height),
        (279, 4, len(pixels)),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    strip = 8 + ifd_size
    body = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = strip if tag == 273 else value
        body += struct.pack("<HHI", tag, kind, 1) + (
            struct.pack("<I", value) if kind == 4 else struct.pack("<HH", value, 0)
        )
    return b"II*\x00" + struct.pack("<I", 8) + body + b"\x00\x00\x00\x00" + pixels


def webp_canvas(width: int, height: int, inner: bytes) -> bytes:
    """Wrap a simple WebP's image chunk in a VP8X header that claims another canvas size."""
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
    vp8x += (height - 1).to_bytes(3, "little")
    body = b"WEBP" + vp8x + inner[12:]
    return b"RIFF" + struct.pack("<I", len(body)) + body


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def exif_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Inspiracle Test Camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})  # Paris
    return exif


def png_interlaced() -> bytes:
    """Pillow writes no interlaced PNG: a 5 x 3 Adam7 one by hand, every row of every pass black, filter 0."""
    width, height, raw = 5, 3, b""
    for x0, y0, dx, dy in (
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ):
        cols, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if cols > 0 and rows > 0:
            raw += (b"\x00" + bytes(3 * cols)) * rows
    return png_by_hand(width, height, zlib.compress(raw), interlace=1)


def progressive_scan_bomb(width: int, height: int, scans: int) -> bytes:
    """A greyscale progressive JPEG with one DC scan and ``scans`` - 1 AC scans that each say only "every block
    ends here" (runs of end-of-block codes): about 50 bytes a scan, yet a decoder walks every block of the
    picture again for each one. At 7000 x 7000 and 20,000 scans, 1.3 MB that decoded for minutes (issue 10)."""
    blocks = -(-width // 8) * -(-height // 8)
    dqt = b"\x00" + bytes([1] * 64)
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"
    # DC: one code, "0" for a difference of 0. AC: the 15 end-of-block-run codes EOB0..EOB14, 4 bits each.
    dht_dc = b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\x10" + bytes([0, 0, 0, 15] + [0] * 12) + bytes(r << 4 for r in range(15))
    out = [b"\xff\xd8", _segment(0xDB, dqt), _segment(0xC0 + 2, sof), _segment(0xC4, dht_dc + dht_ac)]
    out += [_segment(0xDA, b"\x01\x01\x00\x00\x00\x00"), _stuffed("0" * blocks)]
    runs = []
    left = blocks
    while left:
        run = min(left, 32767)
        r = run.bit_length() - 1
        runs.append(format(r, "04b") + (format(run - (1 << r), f"0{r}b") if r else ""))
        left -= run
    ac_scan = _segment(0xDA, b"\x01\x01\x00\x01\x3f\x00") + _stuffed("".join(runs))
    out += [ac_scan] * (scans - 1)
    return b"".join(out) + b"\xff\xd9"


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def _stuffed(bits: str) -> bytes:
    """Entropy-coded bits, padded with ones to a byte, with every 0xFF byte followed by a stuffed 0x00."""
    bits += "1" * (-len(bits) % 8)
    data = int(bits, 2).to_bytes(len(bits) // 8) if bits else b""
    return data.replace(b"\xff", b"\xff\x00")
