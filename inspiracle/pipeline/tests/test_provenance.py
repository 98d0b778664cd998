"""Embedded AI labels (pipeline/provenance.py, WRK-11). Every input is made in memory; no database."""

import struct
import zlib

import pytest
from PIL import Image, TiffImagePlugin
from PIL.PngImagePlugin import PngInfo

from inspiracle.pipeline.provenance import ai_label_kind, read_ai_labels
from inspiracle.pipeline.tests.test_imaging import encode, write, xmp_packet

ORIENTATION = 0x0112
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def jpeg_with_segment(marker: int, payload: bytes) -> bytes:
    data = encode(Image.new("RGB", (16, 16), "grey"), "JPEG")
    return data[:2] + struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload + data[2:]


def png_with_chunk(kind: bytes, body: bytes) -> bytes:
    data = encode(Image.new("RGB", (16, 16), "grey"), "PNG")
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:-12] + chunk + data[-12:]  # before IEND


def c2pa_store(content: bytes = b"") -> bytes:
    """A JUMBF superbox labelled as a C2PA manifest store, around ``content``."""
    description = b"jumd" + bytes.fromhex("6332706100110010800000aa00389b71") + b"\x03c2pa\0"
    description = struct.pack(">I", len(description) + 4) + description
    body = b"jumb" + description + content
    return struct.pack(">I", len(body) + 4) + body


def actions_assertion(code: str) -> bytes:
    return b"\xa1gactions\x81\xa2factionkc2pa.createdqdigitalSourceTypex\x3e" + (IPTC + code).encode()


def test_iptc_digital_source_type_in_jpeg_xmp_is_read(tmp_path):
    """REQ: WRK-11 — embedded IPTC digital source type labels are read, by content not by name."""
    data = jpeg_with_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + xmp_packet("trainedAlgorithmicMedia"))

    labels = read_ai_labels(write(tmp_path, data, "named-like-a.png"))

    assert labels == ["iptc:trainedAlgorithmicMedia"]
    assert ai_label_kind(labels) == "generated"


@pytest.mark.parametrize("compressed", [False, True])
def test_iptc_digital_source_type_in_png_itxt_xmp_is_read(tmp_path, compressed):
    """REQ: WRK-11"""
    info = PngInfo()
    info.add_itxt(
        "XML:com.adobe.xmp", xmp_packet("compositeWithTrainedAlgorithmicMedia").decode(), zip=compressed
    )
    path = write(tmp_path, Image.new("RGB", (16, 16)), "art.png", pnginfo=info)

    labels = read_ai_labels(path)

    assert labels == ["iptc:compositeWithTrainedAlgorithmicMedia"]
    assert ai_label_kind(labels) == "assisted"


def test_a_c2pa_manifest_in_jpeg_app11_is_found_with_its_digital_source_type(tmp_path):
    """REQ: WRK-11 — C2PA manifests are read."""
    segment = b"JP" + struct.pack(">HI", 1, 1) + c2pa_store(actions_assertion("algorithmicMedia"))

    labels = read_ai_labels(write(tmp_path, jpeg_with_segment(0xEB, segment)))

    assert labels == ["iptc:algorithmicMedia", "c2pa"]
    assert ai_label_kind(labels) == "generated"


def test_a_c2pa_manifest_alone_says_nothing_about_ai(tmp_path):
    segment = b"JP" + struct.pack(">HI", 1, 1) + c2pa_store(b"c2pa.hash.data")

    labels = read_ai_labels(write(tmp_path, jpeg_with_segment(0xEB, segment)))

    assert labels == ["c2pa"]
    assert ai_label_kind(labels) is None


def test_c2pa_chunks_in_png_and_webp_are_found(tmp_path):
    """REQ: WRK-11"""
    webp = encode(Image.new("RGB", (16, 16)), "WEBP")
    store = c2pa_store(b"")
    webp += b"C2PA" + struct.pack("<I", len(store)) + store + bytes(len(store) % 2)
    webp = webp[:4] + struct.pack("<I", len(webp) - 8) + webp[8:]

    assert read_ai_labels(write(tmp_path, png_with_chunk(b"caBX", store), "a.png")) == ["c2pa"]
    assert read_ai_labels(write(tmp_path, webp, "a.webp")) == ["c2pa"]


def test_xmp_in_webp_and_tiff_is_read(tmp_path):
    webp = encode(Image.new("RGB", (16, 16)), "WEBP", xmp=xmp_packet("trainedAlgorithmicMedia"))
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[700] = xmp_packet("compositeSynthetic")
    tiff = encode(Image.new("RGB", (16, 16)), "TIFF", tiffinfo=tags)

    assert read_ai_labels(write(tmp_path, webp, "a.webp")) == ["iptc:trainedAlgorithmicMedia"]
    assert read_ai_labels(write(tmp_path, tiff, "a.tif")) == ["iptc:compositeSynthetic"]


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "GIF", "TIFF"])
def test_a_plain_picture_has_no_ai_labels(tmp_path, format):
    exif = Image.Exif()
    exif[ORIENTATION] = 1
    path = write(tmp_path, encode(Image.new("RGB", (64, 48), "olive"), format, exif=exif.tobytes()))

    assert read_ai_labels(path) == []


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["iptc:trainedAlgorithmicMedia"], "generated"),
        (["iptc:algorithmicMedia", "c2pa"], "generated"),
        (["iptc:compositeSynthetic"], "assisted"),
        (["iptc:compositeWithTrainedAlgorithmicMedia", "iptc:trainedAlgorithmicMedia"], "generated"),
        (["iptc:compositeCapture"], None),
        (["iptc:digitalCapture"], None),
        (["c2pa"], None),
        ([], None),
    ],
)
def test_ai_label_kind(labels, kind):
    assert ai_label_kind(labels) == kind
