"""A corpus of hostile and odd upload files, built in memory, for the upload pipeline's tests (WRK-2).

Every file is generated here, deterministically, from Pillow, zipfile and hand-built chunks: nothing is downloaded
and no binary file is committed. Bombs are small files that *claim* huge sizes, so building the whole corpus takes
well under a second and a few megabytes.

``expect`` is the refusal code the whole pipeline (checks, then the malware scan, then decoding) should give, or
None for files that look odd but must be processed normally.
"""

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np
from PIL import Image

# Both strings in two halves, so that no file in the repository holds one whole for a desktop scanner (or the
# test signatures in tests/clamav/inspiracle-test.ndb, which match them anywhere in a file) to find.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MALWARE_TEST_MARKER = b"INSPIRACLE-MALWARE-TEST-" + b"MARKER-7f3a"


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    data: bytes
    expect: str | None
    note: str
    max_bytes: int | None = None  # a smaller per-file limit, for the cases about size


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


def ok(id: str, filename: str, data: bytes, note: str) -> Case:
    return Case(id, filename, data, None, note)


def no(id: str, filename: str, data: bytes, expect: str, note: str, max_bytes: int | None = None) -> Case:
    return Case(id, filename, data, expect, note, max_bytes)


@dataclass(frozen=True)
class Samples:
    """The ordinary files the hostile ones are made from."""

    rgb: Image.Image
    png: bytes
    jpeg: bytes
    gif: bytes
    webp: bytes
    tiff: bytes
    html: bytes
    svg: bytes
    pdf: bytes
    exe: bytes


def samples() -> Samples:
    rgb = picture()
    return Samples(
        rgb=rgb,
        png=encode(rgb, "PNG"),
        jpeg=encode(picture(320, 240), "JPEG", quality=85),
        gif=encode(rgb.convert("P"), "GIF"),
        webp=encode(rgb, "WEBP", lossless=True),
        tiff=encode(rgb, "TIFF"),
        html=b"<!DOCTYPE html><html><body><script>fetch('/api/me').then(r => r.text()).then(alert)</script></body></html>",
        svg=b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
        pdf=b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        exe=b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + bytes(48)
        + b"This program cannot be run in DOS mode.",
    )


def hostile_cases() -> list[Case]:
    s, rng = samples(), random.Random(20240601)
    return [
        *_ordinary(s, rng),
        *_malware(s),
        *_wrong_type(s, rng),
        *_bombs(s),
        *_empty(),
        *_damaged(s, rng),
        *_hidden(s, rng),
    ]


def _ordinary(s: Samples, rng: random.Random) -> list[Case]:
    """Odd but acceptable: these must be processed normally."""
    animated = [picture(seed=i).convert("P") for i in range(4)]
    orientation = Image.Exif()
    orientation[0x0112] = 6
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description dc:title="Dune"/></rdf:RDF></x:xmpmeta>'
    deep_rows = b"".join(
        b"\x00" + bytes(range(48)) for _ in range(8)
    )  # 8 px x 3 channels x 2 bytes, filter 0
    return [
        ok("png-plain", "sketch.png", s.png, "a small RGB PNG"),
        ok("jpeg-plain", "photo.jpg", s.jpeg, "a baseline JPEG"),
        ok(
            "png-named-gif",
            "sketch.gif",
            s.png,
            "a PNG named .gif: we go by content, the wrong name is harmless",
        ),
        ok("gif-named-jpg", "loop.jpg", s.gif, "a GIF named .jpg"),
        ok("png-1x1", "dot.png", encode(picture(1, 1), "PNG"), "the smallest picture there is"),
        ok(
            "jpeg-cmyk",
            "print.jpg",
            encode(picture(mode="CMYK"), "JPEG"),
            "CMYK JPEG, as print workflows export",
        ),
        ok("jpeg-gray", "gray.jpg", encode(picture(mode="L"), "JPEG"), "grayscale JPEG"),
        ok(
            "jpeg-progressive",
            "prog.jpg",
            encode(picture(320, 240), "JPEG", progressive=True),
            "progressive JPEG",
        ),
        ok(
            "jpeg-gps-exif",
            "holiday.jpg",
            encode(s.rgb, "JPEG", exif=exif_gps()),
            "gps: EXIF GPS position (Paris); derivatives must carry no EXIF or GPS",
        ),
        ok(
            "jpeg-orientation-6",
            "turned.jpg",
            encode(picture(48, 64), "JPEG", exif=orientation),
            "EXIF orientation 6",
        ),
        ok(
            "jpeg-xmp",
            "xmp.jpg",
            jpeg_with(s.jpeg, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp),
            "XMP is XML but no markup",
        ),
        ok(
            "jpeg-mpo-like",
            "camera.jpg",
            s.jpeg + s.jpeg,
            "a second full JPEG after EOI, as MPO cameras write",
        ),
        ok("jpeg-zero-padding", "padded.jpg", s.jpeg + bytes(4096), "zero padding after EOI"),
        ok(
            "jpeg-vendor-trailer",
            "phone.jpg",
            s.jpeg + b"SEFH" + rng.randbytes(2048) + b"SEFT",
            "binary vendor data after EOI, as phones write",
        ),
        ok(
            "png-16bit-rgb",
            "deep.png",
            png_by_hand(8, 8, zlib.compress(deep_rows), depth=16),
            "16-bit RGB PNG",
        ),
        ok(
            "png-palette-alpha",
            "palette.png",
            encode(s.rgb.convert("P"), "PNG", transparency=0),
            "palette PNG with tRNS",
        ),
        ok("png-la", "la.png", encode(picture(mode="LA"), "PNG"), "grayscale with alpha"),
        ok("png-rgba", "rgba.png", encode(picture(mode="RGBA"), "PNG"), "RGBA PNG"),
        ok("png-interlaced", "adam7.png", png_interlaced(), "Adam7 interlaced PNG"),
        ok(
            "png-text-harmless",
            "notes.png",
            png_with(s.png, png_chunk(b"tEXt", b"Software\x00Krita 5.2 <3")),
            "an ordinary text note with a '<'",
        ),
        ok(
            "apng-3-frames",
            "anim.png",
            encode(animated[0], "PNG", save_all=True, append_images=animated[1:3]),
            "animated PNG",
        ),
        ok(
            "gif-animated",
            "anim.gif",
            encode(animated[0], "GIF", save_all=True, append_images=animated[1:], duration=80, loop=0),
            "a small 4-frame animation",
        ),
        ok("webp-lossless", "lossless.webp", s.webp, "WebP lossless"),
        ok("webp-lossy", "lossy.webp", encode(s.rgb, "WEBP", quality=80), "WebP lossy"),
        ok(
            "webp-animated",
            "anim.webp",
            encode(
                picture(),
                "WEBP",
                save_all=True,
                append_images=[picture(seed=1), picture(seed=2)],
                duration=80,
            ),
            "animated WebP",
        ),
        ok(
            "tiff-lzw", "scan.tif", encode(s.rgb, "TIFF", compression="tiff_lzw"), "TIFF with LZW compression"
        ),
        ok(
            "tiff-16bit-gray",
            "deep.tiff",
            encode(picture(mode="L").convert("I;16"), "TIFF"),
            "16-bit grayscale TIFF",
        ),
        ok(
            "tiff-3-pages",
            "pages.tif",
            encode(s.rgb, "TIFF", save_all=True, append_images=[picture(seed=1), picture(seed=2)]),
            "3 pages",
        ),
        ok("tiff-big", "big.tif", encode(s.rgb, "TIFF", big_tiff=True), "BigTIFF"),
        ok(
            "name-traversal",
            "../../etc/passwd\x00\r\n.png",
            s.png,
            "path, NUL and CR/LF in the name: safe_filename cleans it",
        ),
        ok("name-bidi", "photo\u202egpj.exe", s.png, "a bidi override makes the name display as ...exe.jpg"),
    ]


def _malware(s: Samples) -> list[Case]:
    """The checks let these through; the malware scan after them refuses them."""
    return [
        no(
            "eicar-in-png-text",
            "eicar.png",
            png_with(s.png, png_chunk(b"tEXt", b"Comment\x00" + EICAR)),
            "malware",
            "EICAR in a tEXt chunk of a valid PNG: found by the test signature that matches the string anywhere; "
            "stock ClamAV matches EICAR only as a whole file (Cisco-Talos/clamav#1277)",
        ),
        no(
            "marker-in-jpeg-comment",
            "marker.jpg",
            jpeg_with(s.jpeg, 0xFE, b"note: " + MALWARE_TEST_MARKER),
            "malware",
            "the test signature's marker in a COM segment",
        ),
    ]


def _wrong_type(s: Samples, rng: random.Random) -> list[Case]:
    heic = (
        struct.pack(">I", 24)
        + b"ftypheic"
        + bytes(4)
        + b"mif1heic"
        + struct.pack(">I", 16)
        + b"meta"
        + bytes(8)
    )
    avif = (
        struct.pack(">I", 28)
        + b"ftypavif"
        + bytes(4)
        + b"avifmif1miaf"
        + struct.pack(">I", 16)
        + b"meta"
        + bytes(8)
    )
    psd = b"8BPS\x00\x01" + bytes(6) + struct.pack(">HIIHH", 3, 48, 64, 8, 3) + bytes(64)
    return [
        no(
            "too-large",
            "big.png",
            encode(picture(seed=3), "PNG"),
            "too_large",
            "6.7 KB against a 2 KB limit",
            max_bytes=2048,
        ),
        no("random-bytes", "noise.png", b"\x00\x9c" + rng.randbytes(4094), "not_image", "random bytes"),
        no(
            "plain-text",
            "readme.png",
            b"Hello, this is not a picture.\n",
            "not_image",
            "plain text named .png",
        ),
        no("zip-named-png", "photo.png", zipped("photo.png", s.png), "not_image", "a ZIP archive named .png"),
        no("svg-script-named-png", "drawing.png", s.svg, "not_image", "SVG with a script, named .png"),
        no("svg-script", "drawing.svg", s.svg, "not_image", "SVG is never accepted: it can carry scripts"),
        no("html-named-jpg", "photo.jpg", s.html, "not_image", "an HTML page named .jpg"),
        no("pdf-named-png", "scan.png", s.pdf, "not_image", "a PDF named .png"),
        no("exe-named-png", "setup.png", s.exe, "not_image", "an MZ executable named .png"),
        no(
            "eicar-plain",
            "eicar.png",
            EICAR,
            "not_image",
            "EICAR is plain text: the type check refuses it before the scan",
        ),
        no(
            "eicar-in-zip",
            "eicar.png",
            zipped("eicar.com", EICAR),
            "not_image",
            "EICAR inside a ZIP: refused as a ZIP",
        ),
        no("bmp", "old.bmp", encode(s.rgb, "BMP"), "unsupported_image", "BMP"),
        no("ico", "favicon.ico", encode(picture(32, 32), "ICO"), "unsupported_image", "ICO"),
        no("psd", "layers.psd", psd, "unsupported_image", "Photoshop signature and header"),
        no("heic", "iphone.heic", heic, "unsupported_image", "HEIC ftyp box"),
        no("avif", "photo.avif", avif, "unsupported_image", "AVIF ftyp box"),
        no(
            "jpeg2000",
            "photo.jp2",
            b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(32),
            "unsupported_image",
            "JPEG 2000 signature box",
        ),
    ]


def _bombs(s: Samples) -> list[Case]:
    """Small files that claim huge pictures, many frames or huge text: refused before anything is allocated."""
    text_bomb = zeros_deflated(8 << 20)  # 8 KB that inflates to 8 MB, past Pillow's 1 MB per text chunk
    iend = len(s.png) - 12
    pages = [picture(2, 2, seed=i) for i in range(304)]
    return [
        no(
            "png-100k",
            "huge.png",
            png_by_hand(100_000, 100_000, zeros_deflated(1 << 20)),
            "too_many_pixels",
            "bomb: IHDR claims 100,000 x 100,000",
        ),
        no(
            "png-bomb-over-limit",
            "bomb.png",
            png_by_hand(10_000, 10_000, zeros_deflated(16 << 20)),
            "too_many_pixels",
            "bomb: 100 MP header over zero IDAT",
        ),
        no(
            "png-bomb-zero-idat",
            "bomb.png",
            png_by_hand(1000, 1000, zeros_deflated(48 << 20)),
            "damaged",
            "bomb: a 1,000 x 1,000 header (3 MB of rows) over IDAT inflating to 48 MB",
        ),
        no(
            "jpeg-sof-65535",
            "huge.jpg",
            jpeg_resized_header(s.jpeg, 65_535, 65_535),
            "too_many_pixels",
            "bomb: SOF claims 65,535 x 65,535, the most JPEG can",
        ),
        no(
            "gif-65535",
            "huge.gif",
            gif_by_hand(65_535, 65_535, 1),
            "too_many_pixels",
            "bomb: logical screen 65,535 x 65,535, the most GIF can",
        ),
        no(
            "gif-frame-past-screen",
            "grow.gif",
            gif_by_hand(1, 1, 1, frame_size=(20_000, 20_000)),
            "too_many_pixels",
            "bomb: a 1 x 1 screen, a 20,000 x 20,000 frame",
        ),
        no(
            "tiff-100k",
            "huge.tif",
            tiff_by_hand(100_000, 100_000),
            "too_many_pixels",
            "bomb: IFD claims 100,000 x 100,000",
        ),
        no(
            "webp-huge-canvas",
            "huge.webp",
            webp_canvas(16_384, 16_384, s.webp),
            "too_many_pixels",
            "bomb: VP8X canvas 16,384 x 16,384",
        ),
        no(
            "gif-3000-frames",
            "long.gif",
            gif_by_hand(16, 16, 3000),
            "too_many_frames",
            "bomb: 3,000 one-pixel frames in 45 KB",
        ),
        no(
            "tiff-305-pages",
            "pages.tif",
            encode(pages[0], "TIFF", save_all=True, append_images=pages[1:]),
            "too_many_frames",
            "305 pages",
        ),
        no(
            "apng-claims-100k-frames",
            "anim.png",
            png_with(s.png, png_chunk(b"acTL", struct.pack(">II", 100_000, 0))),
            "too_many_frames",
            "bomb: acTL claims 100,000 frames",
        ),
        no(
            "png-ztxt-bomb",
            "notes.png",
            png_with(s.png, png_chunk(b"zTXt", b"Comment\x00\x00" + text_bomb)),
            "damaged",
            "bomb: zTXt inflating to 8 MB",
        ),
        no(
            "png-iccp-bomb",
            "icc.png",
            png_with(s.png, png_chunk(b"iCCP", b"ICC\x00\x00" + text_bomb)),
            "damaged",
            "bomb: iCCP inflating to 8 MB",
        ),
        no(
            "png-ztxt-bomb-after-idat",
            "notes.png",
            s.png[:iend] + png_chunk(b"zTXt", b"Comment\x00\x00" + text_bomb) + s.png[iend:],
            "damaged",
            "bomb: zTXt after IDAT, where Pillow's verify() does not inflate it",
        ),
    ]


def _empty() -> list[Case]:
    return [
        no("empty", "empty.png", b"", "empty", "0 bytes"),
        no("png-0x0", "nothing.png", png_by_hand(0, 0, zlib.compress(b"")), "no_pixels", "IHDR says 0 x 0"),
        no(
            "png-width-0",
            "thin.png",
            png_by_hand(0, 10, zlib.compress(bytes(10))),
            "no_pixels",
            "IHDR says width 0",
        ),
        no(
            "gif-zero-screen",
            "nothing.gif",
            gif_by_hand(0, 0, 1),
            "no_pixels",
            "a 0 x 0 logical screen (viewers disagree on what to show)",
        ),
    ]


def _damaged(s: Samples, rng: random.Random) -> list[Case]:
    scan = s.jpeg.index(b"\xff\xda")
    noisy = s.jpeg[: scan + 2000] + rng.randbytes(4000) + s.jpeg[scan + 6000 :]
    flipped = bytearray(s.png)
    flipped[s.png.index(b"IDAT") + 20] ^= 0x55
    looping = bytearray(tiff_by_hand(4, 4, bytes(16)))
    looping[8 + 2 + 12 * 9 : 8 + 2 + 12 * 9 + 4] = struct.pack("<I", 8)  # the next directory is this one
    return [
        no("png-signature-only", "sig.png", b"\x89PNG\r\n\x1a\n", "damaged", "only the 8-byte signature"),
        no("jpeg-soi-eoi-only", "empty.jpg", b"\xff\xd8\xff\xd9", "damaged", "SOI then EOI, no image"),
        no("jpeg-truncated", "cut.jpg", s.jpeg[: len(s.jpeg) * 2 // 3], "damaged", "cut two thirds in"),
        no("jpeg-no-eoi", "cut.jpg", s.jpeg[:-2], "damaged", "only the EOI marker missing"),
        no("jpeg-corrupt-body", "noise.jpg", noisy, "damaged", "4 KB of the scan overwritten with noise"),
        no("png-truncated", "cut.png", s.png[: len(s.png) // 2], "damaged", "cut in half"),
        no(
            "png-bad-crc",
            "flip.png",
            bytes(flipped),
            "damaged",
            "one IDAT byte changed: its CRC no longer matches",
        ),
        no("png-no-idat", "header.png", s.png[:33] + png_chunk(b"IEND", b""), "damaged", "IHDR then IEND"),
        no("gif-truncated", "cut.gif", s.gif[: len(s.gif) // 2], "damaged", "cut in half"),
        no("webp-truncated", "cut.webp", s.webp[: len(s.webp) // 2], "damaged", "cut in half"),
        no("tiff-truncated", "cut.tif", s.tiff[: len(s.tiff) // 2], "damaged", "cut in half"),
        no("tiff-ifd-loop", "loop.tif", bytes(looping), "damaged", "the page list points back at itself"),
    ]


def _hidden(s: Samples, rng: random.Random) -> list[Case]:
    """Polyglots and payloads inside or after a valid picture."""
    js_gif = (
        b"GIF89a/*" + s.gif[8:] + b"*/=1;alert(document.domain);//"
    )  # the screen width bytes open a JS comment
    ztxt = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"<iframe src=//evil.example></iframe>"))
    return [
        no("png-html-polyglot", "page.png", s.png + s.html, "hidden_content", "an HTML page after IEND"),
        no(
            "jpeg-zip-polyglot",
            "photo.jpg",
            s.jpeg + zipped("payload.js", b"alert(1)"),
            "hidden_content",
            "a ZIP after EOI",
        ),
        no(
            "gif-js-polyglot",
            "x.gif",
            js_gif,
            "hidden_content",
            "GIF and JavaScript at once: script after the trailer",
        ),
        no(
            "png-html-in-text",
            "note.png",
            png_with(s.png, png_chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>")),
            "hidden_content",
            "a script in tEXt",
        ),
        no(
            "png-html-in-ztxt",
            "note.png",
            png_with(s.png, ztxt),
            "hidden_content",
            "markup seen only once zTXt is inflated",
        ),
        no(
            "jpeg-php-in-comment",
            "shell.jpg",
            jpeg_with(s.jpeg, 0xFE, b"<?php system($_GET['c']); ?>"),
            "hidden_content",
            "a PHP web shell in COM",
        ),
        no(
            "jpeg-svg-in-app1",
            "x.jpg",
            jpeg_with(s.jpeg, 0xE1, b"Exif\x00\x00<svg/onload=alert(1)>"),
            "hidden_content",
            "markup in APP1",
        ),
        no(
            "png-rar-after-iend",
            "x.png",
            s.png + b"Rar!\x1a\x07\x01\x00" + rng.randbytes(64),
            "hidden_content",
            "RAR after IEND",
        ),
        no(
            "png-7z-after-iend",
            "x.png",
            s.png + b"7z\xbc\xaf\x27\x1c\x00\x04" + rng.randbytes(64),
            "hidden_content",
            "7-Zip after IEND",
        ),
        no("jpeg-pdf-after-eoi", "x.jpg", s.jpeg + s.pdf, "hidden_content", "a PDF after EOI"),
        no(
            "gif-exe-after-trailer",
            "x.gif",
            s.gif + s.exe,
            "hidden_content",
            "an MZ executable after the GIF trailer",
        ),
        no(
            "png-zip-in-tail",
            "x.png",
            s.png + rng.randbytes(100) + zipped("a.txt", b"hi"),
            "hidden_content",
            "a ZIP after binary junk after IEND",
        ),
        no(
            "tiff-zip-appended",
            "x.tif",
            s.tiff + zipped("a.txt", b"hi"),
            "hidden_content",
            "a ZIP appended to a TIFF",
        ),
    ]
