"""What one file of the hostile corpus is, and the ordinary files the hostile ones are made from."""

from dataclasses import dataclass

from PIL import Image

from inspiracle.pipeline.tests.hostile.builders import encode, picture


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    data: bytes
    expect: str | None
    note: str
    max_bytes: int | None = None  # a smaller per-file limit, for the cases about size


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
