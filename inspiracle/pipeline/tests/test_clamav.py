"""The clamd client against a real clamd loaded with tests/clamav/inspiracle-test.ndb (WRK-2)."""

import io
import shutil
import socket
import tempfile
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from inspiracle.pipeline import clamav
from inspiracle.pipeline.clamd_server import start_clamd
from inspiracle.pipeline.errors import FileRefused

# Two halves, so that no file in the repository holds the whole EICAR string for a desktop scanner to find.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MARKER = b"INSPIRACLE-MALWARE-TEST-" + b"MARKER-7f3a"


def png_bytes(**text: str) -> bytes:
    info = PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "teal").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write


def test_a_plain_png_is_clean(write):
    """REQ: WRK-2"""
    assert clamav.scan_file(write("clean.png", png_bytes(Title="a teal square"))) == clamav.ScanResult(
        "clean"
    )


def test_the_eicar_string_is_found_with_its_signature_name(write):
    """REQ: WRK-2"""
    result = clamav.scan_file(write("eicar.txt", EICAR))

    assert result == clamav.ScanResult("infected", "Eicar-Test-Signature")


def test_eicar_is_found_inside_a_zip(write):
    """REQ: WRK-2"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", b"nothing to see")
        archive.writestr("inner/eicar.com", EICAR)

    result = clamav.scan_file(write("bundle.zip", buffer.getvalue()))

    assert result == clamav.ScanResult("infected", "Eicar-Test-Signature")


def test_eicar_is_found_in_a_png_text_chunk(write):
    """REQ: WRK-2"""
    result = clamav.scan_file(write("hidden.png", png_bytes(Comment=EICAR.decode())))

    assert result == clamav.ScanResult("infected", "Eicar-Test-Signature")


def test_the_project_marker_string_is_found_in_the_middle_of_a_file(write):
    """REQ: WRK-2"""
    result = clamav.scan_file(write("marker.png", png_bytes(Author=f"by {MARKER.decode()} ana")))

    assert result == clamav.ScanResult("infected", "Inspiracle.Test.Marker")


@pytest.mark.parametrize("gap", [b"\x01\x02", b"\x01\x02\x03\x04"])
def test_the_project_byte_pattern_is_found_with_a_gap_of_two_to_four_bytes(write, gap):
    """REQ: WRK-2"""
    content = b"\x00" * 1000 + bytes.fromhex("c0ffee00") + gap + bytes.fromhex("5ca1ab1e") + b"\x00" * 10

    assert clamav.scan_file(write("bytes.bin", content)) == clamav.ScanResult(
        "infected", "Inspiracle.Test.Bytes"
    )


def test_the_byte_pattern_with_a_longer_gap_is_clean(write):
    content = bytes.fromhex("c0ffee00") + b"\x01" * 5 + bytes.fromhex("5ca1ab1e")

    assert clamav.scan_file(write("bytes.bin", content)).status == "clean"


def test_a_file_of_several_chunks_is_scanned_whole(write):
    """The marker straddles a 64 KiB chunk boundary and still matches."""
    content = b"\x00" * (3 * clamav.CHUNK_SIZE - 10) + MARKER + b"\x00" * 100

    assert clamav.scan_file(write("big.bin", content)).signature == "Inspiracle.Test.Marker"


def test_without_a_configured_scanner_the_file_is_reported_not_scanned(write, settings):
    """REQ: WRK-2"""
    settings.CLAMD_ADDRESS = ""

    assert clamav.scan_file(write("eicar.txt", EICAR)) == clamav.ScanResult("not_scanned")
    assert clamav.ping() is False


# Just over the limit clamd answers "INSTREAM size limit exceeded. ERROR"; far over it, it closes the socket
# while we are still sending and we see a broken pipe. Both must read the same to the person uploading.
@pytest.mark.parametrize("size", [1024 * 1024 + 10, 3 * 1024 * 1024], ids=["error reply", "broken pipe"])
def test_a_file_over_the_scanners_stream_limit_is_refused_as_not_scanned(write, settings, size):
    """REQ: WRK-2"""
    workdir = Path(tempfile.mkdtemp(prefix="clamd-"))
    small = start_clamd(workdir, stream_max_mb=1)
    try:
        settings.CLAMD_ADDRESS = small.address
        path = write("huge.bin", b"\x00" * size)

        with pytest.raises(FileRefused) as refused:
            clamav.scan_file(path)
    finally:
        small.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    assert refused.value.code == "scan_failed"
    assert refused.value.params == {"detail": "the file is larger than the scanner accepts"}
    assert "larger than the scanner accepts" in refused.value.message


def test_a_socket_with_nothing_listening_is_scanner_unavailable(write, settings, tmp_path):
    """REQ: WRK-2"""
    settings.CLAMD_ADDRESS = f"unix://{tmp_path}/missing.sock"

    with pytest.raises(clamav.ScannerUnavailable):
        clamav.scan_file(write("clean.png", png_bytes()))
    assert clamav.ping() is False


def test_a_tcp_port_with_nothing_listening_is_scanner_unavailable(write, settings):
    """REQ: WRK-2"""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"

    with pytest.raises(clamav.ScannerUnavailable):
        clamav.scan_file(write("clean.png", png_bytes()))


def test_a_daemon_that_never_answers_is_scanner_unavailable_after_the_timeout(write, settings):
    """REQ: WRK-2"""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        settings.CLAMD_TIMEOUT = 0.2

        with pytest.raises(clamav.ScannerUnavailable, match="did not answer"):
            clamav.scan_file(write("clean.png", png_bytes()))


def test_ping_and_version_answer_for_a_health_check():
    assert clamav.ping() is True
    assert clamav.version().startswith("ClamAV ")


def test_a_malformed_address_is_a_configuration_error(write, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CLAMD_ADDRESS = "clamd.example.com:3310"

    with pytest.raises(ImproperlyConfigured):
        clamav.scan_file(write("clean.png", png_bytes()))
