"""What the walkers learn of a picture's structure, and the plain words for the damage found in it."""

from dataclasses import dataclass, field

TRUNCATED = "the file ends before the image data does"
CORRUPT = "the picture data is corrupt"
NO_HEADER = "the image header is missing"
CHECKSUM = "a checksum does not match, so the file changed after it was saved"
TEXT_BOMB = "a text note in the file is too large to unpack safely"
TOO_MUCH_DATA = "the picture data is larger than the image size allows"
TOO_LITTLE_DATA = "the picture data is smaller than the image size needs"
PAGE_LOOP = "its list of pages loops back on itself"
UNREADABLE = "it stores its pixels in a way we cannot read"
TOO_MUCH_MEMORY = "reading it needs more memory than we allow"


@dataclass
class _Layout:
    width: int | None = None
    height: int | None = None
    frames: int = 1
    frames_cut: bool = False  # counting stopped past the limit
    scans: int = (
        0  # JPEG: start-of-scan markers, one per progressive pass (each a full decode of the picture)
    )
    end: int = 0  # where the image's own structure ends; anything after it is a tail
    # compressed pixel data: never searched as text
    pixels: list[tuple[int, int]] = field(default_factory=list)
    problem: str | None = None
    markup_in_text: bool = False  # PNG text that only shows its markup once decompressed
    first_frame: list[tuple[int, int]] = field(default_factory=list)  # PNG IDAT
    raw_size: int = 0  # PNG: bytes the IDAT stream must inflate to
    # zlib streams the malware scanner cannot look into (PNG zTXt/iTXt text, deflated TIFF strips):
    # (start, stop, most bytes it may inflate to); checks.unpacked() inflates them for the scan, bounded.
    packed: list[tuple[int, int, int]] = field(default_factory=list)
