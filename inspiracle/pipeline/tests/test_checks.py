"""The first pipeline step against the hostile corpus: every file gets the verdict the corpus expects (WRK-2)."""

import contextlib
import io
import time
import tracemalloc

import pytest
from PIL import Image

from inspiracle.pipeline import checks
from inspiracle.pipeline.checks import inspect_upload, safe_filename
from inspiracle.pipeline.errors import REASONS, FileRefused
from inspiracle.pipeline.tests.hostile import Case, hostile_cases

CASES = hostile_cases()
MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_FRAMES = 300
# Codes this step gives; "malware" is the scanner's, after this step has let the file through.
PASSES_THIS_STEP = {None, "malware"}
BOMBS = {"too_many_pixels", "too_many_frames"}


def inspect(case: Case, tmp_path):
    path = tmp_path / "original"
    path.write_bytes(case.data)
    return inspect_upload(
        path,
        name=case.filename,
        max_bytes=case.max_bytes or MAX_BYTES,
        max_pixels=MAX_PIXELS,
        max_frames=MAX_FRAMES,
    )


def by_id(case_id: str) -> Case:
    return next(case for case in CASES if case.id == case_id)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect not in PASSES_THIS_STEP], ids=lambda c: c.id)
def test_a_hostile_file_is_refused_with_the_expected_reason(case, tmp_path):
    """REQ: WRK-2 -- real type by content, pixel limits, hidden content and damage each give their own reason,
    in words the uploader can act on, never an exception's."""
    with pytest.raises(FileRefused) as refused:
        inspect(case, tmp_path)

    assert refused.value.code == case.expect, case.note
    message = refused.value.message
    assert str(REASONS[case.expect]) % refused.value.params == message, "a parameter is missing"
    for leak in ("Error", "Exception", "Traceback", "errno", "PIL", "struct", "zlib", "b'", "0x"):
        assert leak not in message, message


@pytest.mark.parametrize("case", [c for c in CASES if c.expect in PASSES_THIS_STEP], ids=lambda c: c.id)
def test_an_odd_but_valid_image_passes_with_its_real_format_and_size(case, tmp_path):
    """REQ: WRK-2 -- the format and size come from the content, and agree with what Pillow itself reads."""
    inspection = inspect(case, tmp_path)

    with Image.open(io.BytesIO(case.data)) as image:
        expected_format = "JPEG" if image.format == "MPO" else image.format
        expected_frames = 1 if image.format in ("JPEG", "MPO") else getattr(image, "n_frames", 1)
        assert (inspection.format, inspection.width, inspection.height) == (expected_format, *image.size)
        assert inspection.frames == expected_frames
        assert inspection.mime == Image.MIME[image.format if image.format != "MPO" else "JPEG"]
    assert inspection.size == len(case.data)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expect in BOMBS or "bomb" in c.id], ids=lambda c: c.id
)
def test_a_bomb_is_refused_in_little_memory(case, tmp_path):
    """REQ: WRK-2 -- files that claim huge pictures, frame counts or text are refused without allocating them.
    tracemalloc sees Python's allocations (zlib output included), not Pillow's image memory; the next test shows
    those bombs never reach Pillow at all."""
    path = tmp_path / "original"
    path.write_bytes(case.data)
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused):
            inspect_upload(
                path, name=case.filename, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=MAX_FRAMES
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 100 * 1024 * 1024


@pytest.mark.parametrize("case", [c for c in CASES if c.expect in BOMBS], ids=lambda c: c.id)
def test_pixel_and_frame_bombs_are_refused_from_the_header_before_any_decoding(case, tmp_path, monkeypatch):
    """REQ: WRK-2 -- the limits are ours, checked on the headers; Pillow's own limit is neither needed nor used."""

    def decode(*args, **kwargs):
        raise AssertionError("a bomb reached the decoder")

    monkeypatch.setattr(checks, "_verify_decode", decode)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    with pytest.raises(FileRefused) as refused:
        inspect(case, tmp_path)

    assert refused.value.code == case.expect


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's TIFF tag parser warns about cut directories
def test_nothing_but_a_refusal_escapes_for_any_prefix_of_any_file(tmp_path):
    """REQ: WRK-2 -- a file cut anywhere is refused with a reason (or still accepted), never an exception."""
    path = tmp_path / "original"
    for case in CASES:
        for cut in sorted({1, 2, 7, 13, 33, 100, len(case.data) // 3, len(case.data) - 1}):
            if not 0 < cut < len(case.data):
                continue
            path.write_bytes(case.data[:cut])
            with contextlib.suppress(FileRefused):
                inspect_upload(
                    path, name="cut", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=MAX_FRAMES
                )


def test_a_large_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "original"
    path.write_bytes(by_id("png-plain").data)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("the file was read"))

    with pytest.raises(FileRefused) as refused:
        inspect_upload(path, name="big.png", max_bytes=1000, max_pixels=MAX_PIXELS, max_frames=MAX_FRAMES)

    assert refused.value.params == {"size": "6.7 KB", "limit": "1,000 bytes"}


def test_refusals_name_the_file_and_format_the_numbers_for_people(tmp_path):
    with pytest.raises(FileRefused) as refused:
        inspect(by_id("zip-named-png"), tmp_path)
    assert refused.value.message.startswith("This file is a ZIP archive named “photo.png”")

    with pytest.raises(FileRefused) as refused:
        inspect(by_id("png-100k"), tmp_path)
    assert refused.value.params == {"width": "100,000", "height": "100,000", "limit": "50"}

    with pytest.raises(FileRefused) as refused:
        inspect(by_id("gif-3000-frames"), tmp_path)
    assert refused.value.params == {"frames": "more than 300", "limit": "300"}


def test_the_corpus_is_big_varied_small_and_quick_to_build():
    started = time.perf_counter()
    cases = hostile_cases()
    elapsed = time.perf_counter() - started

    assert len(cases) >= 45
    assert len({case.id for case in cases}) == len(cases)
    assert {case.expect for case in cases} - {None} <= set(REASONS)
    assert all(case.note for case in cases)
    assert sum(len(case.data) for case in cases) < 5 * 1024 * 1024
    assert max(len(case.data) for case in cases) < 200 * 1024
    assert elapsed < 5
    assert [case.data for case in cases] == [case.data for case in CASES], "the corpus is not deterministic"
    assert any("gps" in case.note for case in cases if case.expect is None)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("holiday.jpg", "holiday.jpg"),
        ("../../etc/passwd\x00\r\n.png", "passwd.png"),
        ("C:\\Users\\ana\\Pictures\\cat.jpg", "cat.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("zero\u200bwidth.png", "zerowidth.png"),
        ("  my \t holiday\n photo.jpg  ", "my holiday photo.jpg"),
        ("Cafe\u0301.png", "Café.png"),
        (".htaccess", "htaccess"),
        ("", "upload"),
        ("..", "upload"),
        ("/", "upload"),
        ("\x00\x01\x7f", "upload"),
        ("   ", "upload"),
    ],
)
def test_safe_filename_keeps_only_a_plain_base_name(name, stored):
    """REQ: WRK-2 -- the name we store and show can neither walk a path nor disguise itself."""
    assert safe_filename(name) == stored


def test_safe_filename_shortens_long_names_but_keeps_the_extension():
    assert safe_filename("a" * 300 + ".jpeg") == "a" * 115 + ".jpeg"
    assert safe_filename("b" * 300) == "b" * 120
    assert len(safe_filename("ü" * 500 + ".png")) == 120


def test_a_progressive_jpeg_over_the_scan_limit_is_refused_from_its_markers_before_any_decoding(
    tmp_path, monkeypatch
):
    """REQ: WRK-2 -- a 20,000-scan JPEG took minutes to decode; the walker counts the scans instead."""
    monkeypatch.setattr(checks, "_verify_decode", lambda *args: pytest.fail("decoded"))
    with pytest.raises(FileRefused) as refused:
        inspect(by_id("jpeg-600-scans"), tmp_path)
    assert refused.value.params == {"scans": "600", "limit": "500"}
    monkeypatch.undo()

    path = tmp_path / "passes.jpg"
    path.write_bytes(by_id("jpeg-600-scans").data)
    allowed = inspect_upload(
        path, name="p.jpg", max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_frames=300, max_scans=600
    )
    assert allowed.format == "JPEG"


def test_sizes_over_a_limit_never_read_the_same_as_the_limit(tmp_path):
    """REQ: WRK-1 -- "50 MB; the limit is 50 MB" for 50 MB and 1 byte; a 1-byte file is not "plain text"."""
    with pytest.raises(FileRefused) as refused:
        inspect(by_id("one-byte-over-the-limit"), tmp_path)
    assert refused.value.params == {"size": "100.001 KB", "limit": "100.000 KB"}
    assert checks.sizes_apart(50 * 1024 * 1024 + 1, 50 * 1024 * 1024) == (
        "52,428,801 bytes",
        "52,428,800 bytes",
    )
    assert checks.sizes_apart(60 * 1024 * 1024, 50 * 1024 * 1024) == ("60 MB", "50 MB")
    assert checks.sizes_apart(int(50.004 * 1024 * 1024), 50 * 1024 * 1024) == ("50.004 MB", "50.000 MB")

    with pytest.raises(FileRefused) as refused:
        inspect(by_id("one-byte"), tmp_path)
    assert refused.value.code == "too_small" and refused.value.params == {"size": "1 byte"}
