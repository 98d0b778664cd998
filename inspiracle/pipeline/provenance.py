"""Provenance labels embedded in an uploaded image: IPTC digital source types and C2PA manifests (WRK-11).

read_ai_labels lists what the file declares, as found; ai_label_kind says what those labels mean: AI-generated,
AI-assisted, or nothing about AI.
"""

import mmap
import re
import struct
import zlib
from pathlib import Path

# IPTC NewsCodes, e.g. http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia
_SOURCE_TYPE = re.compile(rb"newscodes/digitalsourcetype/([A-Za-z]{1,64})")
# The UUID of a C2PA manifest store's JUMBF description box (C2PA specification, "JUMBF").
C2PA_UUID = bytes.fromhex("6332706100110010800000aa00389b71")
GENERATED = {"trainedAlgorithmicMedia", "algorithmicMedia"}
# compositeCapture (a composite of photographs) is not here: no synthetic element.
ASSISTED = {"compositeWithTrainedAlgorithmicMedia", "compositeSynthetic"}
_BLOCK_LIMIT = 16 * 1024 * 1024  # a PNG or WebP metadata chunk is read up to this size


def read_ai_labels(path: Path) -> list[str]:
    """Embedded provenance labels, e.g. ["iptc:trainedAlgorithmicMedia", "c2pa"] (WRK-11).

    "iptc:<code>" for each IPTC digital source type found in XMP or inside a C2PA manifest, "c2pa" when the
    file embeds a C2PA manifest store. The type comes from the bytes, not the name; only the metadata blocks
    are read (JPEG segments before the picture data, PNG and WebP chunks; other formats one search of the file).
    """
    with open(path, "rb") as file:
        head = file.read(12)
        file.seek(0)
        if head.startswith(b"\xff\xd8\xff"):
            texts, c2pa = _jpeg_blocks(file)
        elif head.startswith(b"\x89PNG\r\n\x1a\n"):
            texts, c2pa = _png_blocks(file)
        elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            texts, c2pa = _webp_blocks(file)
        else:
            texts, c2pa = _scan_blocks(file)
    labels = []
    for text in texts:
        for code in _SOURCE_TYPE.findall(text):
            label = "iptc:" + code.decode("ascii")
            if label not in labels:
                labels.append(label)
    if c2pa:
        labels.append("c2pa")
    return labels


def ai_label_kind(labels: list[str]) -> str | None:
    """The AI use the labels declare: "generated", "assisted" or None. A C2PA manifest alone says nothing about
    AI (cameras sign their photos too); only a digital source type inside it does."""
    codes = {label.removeprefix("iptc:") for label in labels if label.startswith("iptc:")}
    if codes & GENERATED:
        return "generated"
    if codes & ASSISTED:
        return "assisted"
    return None


def _jpeg_blocks(file) -> tuple[list[bytes], bool]:
    """APP1 XMP (standard and extended) and APP11 JUMBF segments, up to the start of the picture data."""
    texts: list[bytes] = []
    c2pa = False
    file.seek(2)
    while True:
        marker = file.read(2)
        while marker[:1] == b"\xff" and marker[1:] == b"\xff":  # fill bytes
            marker = marker[1:] + file.read(1)
        if len(marker) < 2 or marker[0] != 0xFF or marker[1] in (0xDA, 0xD9):  # start of scan, end of image
            return texts, c2pa
        if 0xD0 <= marker[1] <= 0xD7 or marker[1] == 0x01:  # markers without a length
            continue
        raw = file.read(2)
        if len(raw) < 2:
            return texts, c2pa
        length = struct.unpack(">H", raw)[0] - 2
        if length < 0:
            return texts, c2pa
        if marker[1] in (0xE1, 0xEB):
            payload = file.read(length)
            if marker[1] == 0xE1 and payload.startswith(
                (b"http://ns.adobe.com/xap/1.0/", b"http://ns.adobe.com/xmp/")
            ):
                texts.append(payload)
            elif marker[1] == 0xEB and payload.startswith(b"JP"):
                # JUMBF in APP11: "JP", box instance, sequence number, then the box (ISO 19566-5).
                texts.append(payload)
                c2pa = c2pa or _is_c2pa_box(payload[8:])
        else:
            file.seek(length, 1)


def _png_blocks(file) -> tuple[list[bytes], bool]:
    """iTXt/tEXt/zTXt XMP chunks and the caBX (C2PA) chunk; the picture data chunks are skipped unread."""
    texts: list[bytes] = []
    c2pa = False
    file.seek(8)
    while len(header := file.read(8)) == 8:
        length, kind = struct.unpack(">I4s", header)
        if kind == b"IEND":
            break
        if kind in (b"iTXt", b"tEXt", b"zTXt", b"caBX") and length <= _BLOCK_LIMIT:
            data = file.read(length)
            file.seek(4, 1)
            if kind == b"caBX":
                c2pa = True
                texts.append(data)
            elif data.startswith(b"XML:com.adobe.xmp\0"):
                texts.append(_png_text(kind, data))
        else:
            file.seek(length + 4, 1)
    return texts, c2pa


def _png_text(kind: bytes, data: bytes) -> bytes:
    """The text of a tEXt, zTXt or iTXt chunk (PNG specification, 11.3.4)."""
    _keyword, _, rest = data.partition(b"\0")
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":  # compression method, then deflated text
        compressed, rest = True, rest[1:]
    else:  # compression flag, compression method, language tag, translated keyword, then the text
        compressed, rest = rest[:1] == b"\1", rest[2:].split(b"\0", 2)[-1]
    if not compressed:
        return rest
    try:
        return zlib.decompressobj().decompress(rest, _BLOCK_LIMIT)
    except zlib.error:
        return b""


def _webp_blocks(file) -> tuple[list[bytes], bool]:
    """The RIFF "XMP " and "C2PA" chunks of a WebP file."""
    texts: list[bytes] = []
    c2pa = False
    file.seek(12)
    while len(header := file.read(8)) == 8:
        kind, length = struct.unpack("<4sI", header)
        if kind in (b"XMP ", b"C2PA") and length <= _BLOCK_LIMIT:
            texts.append(file.read(length))
            c2pa = c2pa or kind == b"C2PA"
            file.seek(length % 2, 1)
        else:
            file.seek(length + length % 2, 1)
    return texts, c2pa


def _scan_blocks(file) -> tuple[list[bytes], bool]:
    """GIF and TIFF keep XMP in places that need the whole structure walked; one search of the bytes is as cheap."""
    try:
        data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError:  # an empty file cannot be mapped
        return [], False
    with data:
        texts = []
        start = data.find(b"newscodes/digitalsourcetype/")
        while start != -1:
            texts.append(data[start : start + 128])
            start = data.find(b"newscodes/digitalsourcetype/", start + 1)
        return texts, data.find(C2PA_UUID) != -1


def _is_c2pa_box(box: bytes) -> bool:
    """A JUMBF superbox ("jumb") whose description box ("jumd") carries the C2PA UUID or the label "c2pa"."""
    return (
        box[4:8] == b"jumb" and box[12:16] == b"jumd" and (box[16:32] == C2PA_UUID or box[33:37] == b"c2pa")
    )
