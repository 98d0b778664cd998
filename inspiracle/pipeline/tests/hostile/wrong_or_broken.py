"""Files refused for what they are rather than what they hide: not an image, an unsupported one, too large,
empty, or damaged."""

import random
import struct
import zlib

from inspiracle.pipeline.tests.hostile.builders import (
    EICAR,
    encode,
    gif_by_hand,
    picture,
    png_by_hand,
    png_chunk,
    tiff_by_hand,
    zipped,
)
from inspiracle.pipeline.tests.hostile.case import Case, Samples, no


def wrong_type_cases(s: Samples, rng: random.Random) -> list[Case]:
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


def empty_cases() -> list[Case]:
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


def damaged_cases(s: Samples, rng: random.Random) -> list[Case]:
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
