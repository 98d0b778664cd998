"""A PNG's pixel data inflated once (issue 14): with a decode to follow, the structure check leaves the IDAT stream
to imaging.decode, which counts it through checks/idat.py. Every input is made in memory; no database."""

import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from inspiracle.pipeline import imaging
from inspiracle.pipeline.checks import decoding, idat, inspect_upload
from inspiracle.pipeline.checks.layout import CORRUPT, TOO_LITTLE_DATA, TOO_MUCH_DATA, TRUNCATED
from inspiracle.pipeline.checks.walkers import _PNG_CHANNELS
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.tests.hostile import hostile_cases
from inspiracle.pipeline.tests.hostile.builders import png_chunk, zeros_deflated

MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 50_000_000
SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CASES = [case for case in hostile_cases() if case.data.startswith(SIGNATURE)]
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


@pytest.fixture(autouse=True)
def pillow_pixel_limit(monkeypatch):
    """decode() sets Pillow's process-wide limit; give it back to the other tests afterwards."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)


def verdict(path, *, decode_follows: bool) -> tuple[str, dict]:
    """What the structure check and then the decode make of the file: ("ok", {}) or the refusal."""
    try:
        inspect_upload(
            path,
            name="x.png",
            max_bytes=MAX_BYTES,
            max_pixels=MAX_PIXELS,
            max_frames=300,
            decode_follows=decode_follows,
        )
        imaging.decode(path, max_pixels=MAX_PIXELS)
    except FileRefused as refusal:
        return refusal.code, refusal.params
    return "ok", {}


def raw_rows(width: int, height: int, bits: int, *, interlace: int, seed: int = 0, extra: int = 0) -> bytes:
    """Random scanlines with random filter types (0-4) for every row of every pass; ``extra`` bytes more."""
    rng = np.random.default_rng(seed)
    raw = bytearray()
    for x0, y0, dx, dy in ADAM7 if interlace else ((0, 0, 1, 1),):
        cols, rows = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if cols > 0 and rows > 0:
            for _ in range(rows):
                raw += bytes([int(rng.integers(0, 5))]) + rng.bytes((cols * bits + 7) // 8)
    return bytes(raw) + rng.bytes(extra)


def png(width: int, height: int, idat: bytes, *, depth=8, color=2, interlace=0, pieces: int = 1) -> bytes:
    """A PNG by hand: a palette for colour type 3, the IDAT stream split into ``pieces`` chunks (some empty)."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    palette = png_chunk(b"PLTE", bytes(range(256)) * 3) if color == 3 else b""
    cuts = sorted({0, len(idat), *np.random.default_rng(1).integers(0, len(idat) + 1, pieces - 1).tolist()})
    chunks = [png_chunk(b"IDAT", idat[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
    if pieces > 2:
        chunks.insert(1, png_chunk(b"IDAT", b""))  # empty IDAT chunks are allowed
    return SIGNATURE + png_chunk(b"IHDR", ihdr) + palette + b"".join(chunks) + png_chunk(b"IEND", b"")


def write(tmp_path, data: bytes):
    path = tmp_path / "original"
    path.write_bytes(data)
    return path


def pixels(path, *, counted: bool) -> bytes:
    with Image.open(path) as image:
        if counted:
            idat.count_idat(image)
        image.load()
        return image.tobytes()


@pytest.mark.parametrize("case", PNG_CASES, ids=lambda case: case.id)
def test_every_png_of_the_corpus_gets_the_same_verdict_when_only_the_decode_inflates_it(case, tmp_path):
    """REQ: WRK-2 -- the same refusal code and words, whether the structure check inflates IDAT or the decode."""
    path = write(tmp_path, case.data)

    assert verdict(path, decode_follows=True) == verdict(path, decode_follows=False)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_png_cut_anywhere_gets_the_same_verdict_when_only_the_decode_inflates_it(tmp_path):
    """REQ: WRK-2 -- nothing but a refusal escapes, and the refusal is the one the full structure check gives."""
    path = tmp_path / "original"
    for case in PNG_CASES:
        for cut in sorted({9, 33, 40, len(case.data) // 3, len(case.data) // 2, len(case.data) - 13}):
            if 0 < cut < len(case.data):
                path.write_bytes(case.data[:cut])
                assert verdict(path, decode_follows=True) == verdict(path, decode_follows=False), (
                    case.id,
                    cut,
                )


@pytest.mark.parametrize("depth, color", sorted(PngImagePlugin._MODES), ids=lambda value: str(value))
@pytest.mark.parametrize("interlace", [0, 1])
@pytest.mark.parametrize("size", [(1, 1), (2, 3), (13, 7), (40, 33)])
def test_every_kind_of_png_decodes_to_the_same_pixels_through_the_count(
    depth, color, interlace, size, tmp_path
):
    """Every bit depth and colour type Pillow reads, interlaced or not, in sizes that leave Adam7 passes empty:
    the count agrees with Pillow's own decoder on where the pixel data ends, and the pixels are the same."""
    bits = depth * _PNG_CHANNELS[color]
    raw = raw_rows(*size, bits, interlace=interlace)
    path = write(
        tmp_path, png(*size, zlib.compress(raw), depth=depth, color=color, interlace=interlace, pieces=5)
    )

    assert pixels(path, counted=True) == pixels(path, counted=False)


def test_a_photo_sized_png_decodes_to_the_same_pixels_through_the_count(tmp_path):
    noisy = np.random.default_rng(3).integers(0, 255, (600, 800, 3), dtype=np.uint8)
    path = tmp_path / "photo.png"
    Image.fromarray(noisy).save(path)

    assert pixels(path, counted=True) == pixels(path, counted=False)


def damaged_streams() -> dict[str, tuple[bytes, str]]:
    """1,000 x 1,000 RGB over IDAT streams that are wrong in one way each, with the words the check gives."""
    rows = raw_rows(100, 100, 24, interlace=0)
    whole = zlib.compress(rows)
    return {
        "a bomb: 48 MB of zeros under a 3 MB header": (zeros_deflated(48 << 20), TOO_MUCH_DATA),
        "one byte hidden after the last row": (zlib.compress(rows + b"!"), TOO_MUCH_DATA),
        "a text hidden after the last row": (
            zlib.compress(rows + b"<script>alert(1)</script>"),
            TOO_MUCH_DATA,
        ),
        "the last row missing": (zlib.compress(rows[: -(1 + 300)]), TOO_LITTLE_DATA),
        "the stream cut before its end": (whole[: len(whole) // 2], TRUNCATED),
        "only the stream's checksum missing": (whole[:-4], TRUNCATED),
        "noise in the middle of the stream": (whole[:50] + bytes(range(256)) * 4 + whole[1100:], CORRUPT),
    }


@pytest.mark.parametrize("name", list(damaged_streams()))
def test_a_png_whose_pixel_data_does_not_fit_its_header_is_refused_by_the_decode_with_the_checks_words(
    name, tmp_path
):
    """REQ: WRK-2 -- the protection moved from the structure check to the decode: same code, same words."""
    stream, detail = damaged_streams()[name]
    size = (1000, 1000) if "bomb" in name else (100, 100)
    path = write(tmp_path, png(*size, stream, pieces=3))

    inspect_upload(
        path, name="x.png", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=300, decode_follows=True
    )
    with pytest.raises(FileRefused) as refused:
        imaging.decode(path, max_pixels=MAX_PIXELS)

    assert (refused.value.code, refused.value.params) == ("damaged", {"detail": detail})
    assert verdict(path, decode_follows=False) == ("damaged", {"detail": detail})


def test_a_bad_filter_type_is_refused_as_damaged_as_before(tmp_path):
    rows = bytearray(raw_rows(20, 10, 24, interlace=0))
    rows[0] = 9  # filter types end at 4
    path = write(tmp_path, png(20, 10, zlib.compress(bytes(rows))))

    assert verdict(path, decode_follows=True) == verdict(path, decode_follows=False)
    assert verdict(path, decode_follows=True)[0] == "damaged"


def test_pixel_data_split_by_another_chunk_is_refused_as_damaged_as_before(tmp_path):
    """IDAT chunks must follow one another; Pillow stops at the first other chunk. Only the words differ: the
    decode now says the image data ends early ("the file ends before the image data does") where Pillow's
    error said "the file ends before the picture does"."""
    stream = zlib.compress(raw_rows(20, 10, 24, interlace=0))
    data = png(20, 10, stream, pieces=2)
    second = data.index(b"IDAT", data.index(b"IDAT") + 4) - 4
    path = write(tmp_path, data[:second] + png_chunk(b"tEXt", b"Comment\x00hi") + data[second:])

    assert verdict(path, decode_follows=True)[0] == verdict(path, decode_follows=False)[0] == "damaged"


class Recording(idat.IdatInflater):
    seen: list[idat.IdatInflater] = []

    def __init__(self, raw_size: int) -> None:
        super().__init__(raw_size)
        self.seen.append(self)


def test_an_idat_bomb_is_refused_by_the_decode_after_inflating_little_more_than_the_picture(
    tmp_path, monkeypatch
):
    """REQ: WRK-2 -- 48 MB of zeros under a 1,000 x 1,000 header: the count stops within a megabyte past the 3 MB
    the rows need, and Python holds a few megabytes at most (Pillow's 4 MB image is not traced)."""
    monkeypatch.setattr(idat, "IdatInflater", Recording)
    monkeypatch.setattr(Recording, "seen", [])
    path = write(tmp_path, png(1000, 1000, zeros_deflated(48 << 20)))
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as refused:
            imaging.decode(path, max_pixels=MAX_PIXELS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert refused.value.params == {"detail": TOO_MUCH_DATA}
    [inflater] = Recording.seen
    assert inflater.raw_size == 1000 * (1 + 3000)
    assert inflater.produced <= inflater.raw_size + idat.PIECE
    assert peak < 8 * 1024 * 1024


def test_with_a_decode_to_follow_the_structure_check_leaves_the_pixel_data_alone(tmp_path, monkeypatch):
    """The point of issue 14: one inflation of a PNG's pixel data, not two. Checksums are still checked."""
    path = write(tmp_path, png(40, 30, zlib.compress(raw_rows(40, 30, 24, interlace=0))))
    inflated = []
    monkeypatch.setattr(decoding, "inflate_counted", lambda *args: inflated.append(args))

    inspect_upload(
        path, name="x.png", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=300, decode_follows=True
    )
    assert inflated == []
    inspect_upload(path, name="x.png", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=300)
    assert len(inflated) == 1

    broken = bytearray(path.read_bytes())
    broken[broken.index(b"IDAT") + 10] ^= 0x55
    path.write_bytes(bytes(broken))
    with pytest.raises(FileRefused) as refused:
        inspect_upload(
            path,
            name="x.png",
            max_bytes=MAX_BYTES,
            max_pixels=MAX_PIXELS,
            max_frames=300,
            decode_follows=True,
        )
    assert refused.value.code == "damaged"
    assert "checksum" in refused.value.params["detail"]
