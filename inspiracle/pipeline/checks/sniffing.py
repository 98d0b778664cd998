"""The real type of a file from its first bytes (magic numbers), never from its name."""

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
