"""A slow file that passes every check: for the time-limit test and bench/serve_recovery.py (no Django here)."""

import io
import struct

from PIL import Image


def slow_progressive_jpeg(size: int = 4000, scans: int = 400) -> bytes:
    """A flat progressive JPEG whose last scan is repeated: about 100 KB, every header check passes, and a
    decoder walks every block of 16 megapixels once per scan (about 6 s here). Fewer than 500 scans, so a
    scan-count limit like libjpeg-turbo's does not refuse it first: only the time limit stops it."""
    buffer = io.BytesIO()
    Image.new("L", (size, size), 128).save(buffer, "JPEG", progressive=True, quality=90)
    data = buffer.getvalue()
    position, last_scan = 2, b""
    while data[position + 1] != 0xDA:  # to the first scan
        position += 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
    scans_start = position
    while data[position : position + 2] != b"\xff\xd9":
        end = position + 2 + struct.unpack(">H", data[position + 2 : position + 4])[0]
        if data[position + 1] == 0xDA:  # the entropy-coded data runs to the next marker
            end = data.index(b"\xff", end)
            while data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                end = data.index(b"\xff", end + 2)
            last_scan = data[position:end]
        position = end
    body = data[scans_start:position]
    return data[:scans_start] + body + last_scan * (scans - body.count(b"\xff\xda")) + b"\xff\xd9"
