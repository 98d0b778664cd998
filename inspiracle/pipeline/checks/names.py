"""Names and numbers as the uploader reads them: the stored file name, sizes, megapixels."""

import re
import unicodedata

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


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return "1 byte" if size == 1 else f"{size:,} bytes"


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` worded so that they read differently whenever they differ: a file of 50 MB and
    one byte is not "50 MB; the limit is 50 MB": with two or three decimals if they tell the two apart,
    otherwise in bytes ("52,428,801 bytes; the limit is 52,428,800 bytes")."""
    shown = human_size(size), human_size(limit)
    if size == limit or shown[0] != shown[1]:
        return shown
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if max(size, limit) >= scale:
            for places in (2, 3):
                pair = f"{size / scale:,.{places}f} {unit}", f"{limit / scale:,.{places}f} {unit}"
                if pair[0] != pair[1]:
                    return pair
            break
    return f"{size:,} bytes", f"{limit:,} bytes"


def _megapixels(pixels: int | None) -> str:
    return f"{(pixels or 0) / 1_000_000:,.1f}".removesuffix(".0")
