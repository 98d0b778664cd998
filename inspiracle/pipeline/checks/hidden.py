"""Content hidden inside or after the picture: archives, documents, markup and scripts."""

import re
from collections.abc import Iterator

from inspiracle.pipeline.checks.layout import _Layout
from inspiracle.pipeline.checks.sniffing import UNKNOWN, sniff
from inspiracle.pipeline.errors import FileRefused

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
# A "<" also as an HTML entity (&lt; &#60; &#x3c;), since a page that shows a decoded text field renders those as
# markup too; then the elements and instructions that run or load something: script, frames, plug-ins, a
# refresh, a style sheet for XML, PHP's short echo; and event handlers, which need no element of their own.
_OPEN = rb"(?:<|&lt;?|&#0*60;?|&#x0*3c;?)"
_MARKUP = re.compile(
    _OPEN + rb"(?:script|iframe|object|embed|meta\s[^>]{0,200}http-equiv|\?php|\?=|\?xml-stylesheet"
    rb"|svg[\s/>]|html[\s>])|javascript:|\bon(?:error|load)\s*=",
    re.IGNORECASE,
)
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
        if has_markup(buf[start:stop]):
            raise FileRefused("hidden_content", detected=MARKUP)


def has_markup(text: bytes) -> bool:
    """Markup in ``text`` as bytes, or as UTF-16 (either byte order): a browser sniffing a UTF-16 document
    runs its script just the same, and "<\0s\0c\0r\0i\0p\0t" matches no byte pattern."""
    return bool(_MARKUP.search(text)) or (
        b"\x00" in text and bool(_MARKUP.search(text.replace(b"\x00", b"")))
    )


def _outside(spans: list[tuple[int, int]], n: int) -> Iterator[tuple[int, int]]:
    """The stretches of the file not covered by ``spans``."""
    pos = 0
    for start, stop in sorted(spans):
        if start > pos:
            yield pos, min(start, n)
        pos = max(pos, stop)
    if pos < n:
        yield pos, n
