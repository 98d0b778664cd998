"""A PNG's pixel data (its IDAT stream) inflated exactly once, and counted against the size its header allows.

A PNG decoder stops as soon as the picture is full and keeps quiet about the rest: more data after the last row
(something hidden in the stream, or a bomb inflating to gigabytes) or a stream that ends early (Pillow leaves
the missing rows black). ``IdatInflater`` counts every byte zlib produces and refuses the file as "damaged"
the moment there are more than the rows need, holding 64 KB of output at a time.

Before issue 14 the structure check ran it on its own and threw the output away, and the decode step inflated
the same stream again inside Pillow: for a 2000 x 2000 PNG (6.6 MB) that first pass cost 53/61 ms of CPU (min/
median of 15 runs), half of Pillow's whole decode (106/121 ms in the same runs). Now the decode step inflates
the stream once, through ``IdatInflater``, and hands each piece to Pillow's own PNG decoder only to unfilter it
(``count_idat``), which adds ~10 ms to Pillow's decode (131/139 ms vs 118/129 ms, 25 interleaved runs on this
shared machine); bench/pipeline.py measures the whole pipeline.
"""

import struct
import zlib
from collections.abc import Iterable, Iterator
from typing import IO

from PIL import Image, ImageFile, PngImagePlugin

from inspiracle.pipeline.checks.layout import CORRUPT, TOO_LITTLE_DATA, TOO_MUCH_DATA, TRUNCATED, UNREADABLE
from inspiracle.pipeline.checks.walkers import _PNG_CHANNELS, png_raw_size
from inspiracle.pipeline.errors import FileRefused

# Bytes of inflated output at a time: what the inflation holds, whatever the stream claims. One stored block's
# worth, so that a piece is still in the CPU's cache when Pillow copies it.
PIECE = 0xFFFF
READ = 1 << 16  # bytes of compressed data read at a time, as Pillow reads them
CODEC = "inspiracle_counted_idat"
# Bits per pixel of each raw mode Pillow reads a PNG with, from Pillow's own table of (bit depth, colour type).
_BITS = {
    rawmode: depth * _PNG_CHANNELS[color] for (depth, color), (_, rawmode) in PngImagePlugin._MODES.items()
}
_ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, no preset dictionary; header checksum included
_STORED_MAX = 0xFFFF  # the most bytes one stored deflate block carries


class IdatInflater:
    """One zlib stream inflated piece by piece; refuses it once it yields more than ``raw_size`` bytes."""

    def __init__(self, raw_size: int) -> None:
        self.raw_size = raw_size
        self.produced = 0
        self._zlib = zlib.decompressobj()

    @property
    def eof(self) -> bool:
        return self._zlib.eof

    def feed(self, data: bytes | memoryview) -> Iterator[bytes]:
        """The output of ``data``, at most PIECE bytes at a time. Input after the end of the stream is ignored,
        as decoders ignore it."""
        try:
            while out := self._zlib.decompress(data, PIECE):
                self.produced += len(out)
                if self.produced > self.raw_size:
                    raise FileRefused("damaged", detail=TOO_MUCH_DATA)
                yield out
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FileRefused("damaged", detail=CORRUPT) from exc

    def finish(self) -> Iterator[bytes]:
        """What zlib still holds, then the verdict on the whole stream: it must end, and fill every row."""
        yield from self.feed(b"")
        if not self.eof:
            raise FileRefused("damaged", detail=TRUNCATED)
        if self.produced < self.raw_size:
            raise FileRefused("damaged", detail=TOO_LITTLE_DATA)


def inflate_counted(pieces: Iterable[bytes | memoryview], raw_size: int) -> None:
    """The stream in ``pieces`` inflated and counted, its output dropped: the structure check's pass when no
    decode follows it."""
    for _ in _inflated(IdatInflater(raw_size), pieces):
        pass


def _inflated(inflater: IdatInflater, pieces: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """The output of the stream in ``pieces``, then IdatInflater.finish()'s verdict on it."""
    for piece in pieces:
        yield from inflater.feed(piece)
        if inflater.eof:
            break
    yield from inflater.finish()


def count_idat(image: ImageFile.ImageFile) -> None:
    """Make ``image`` (a PNG just opened, not loaded) read its pixels through ``IdatInflater``."""
    image.tile = [
        tile._replace(codec_name=CODEC) if tile.codec_name == "zip" else tile for tile in image.tile
    ]


class _CountedIdat(ImageFile.PyDecoder):
    """Pillow's PNG decoding with the inflation done by IdatInflater. It reads the IDAT chunks itself (it
    "pulls" the file), so that it knows where they end: a stream cut short there is TRUNCATED, as the
    structure check said before. The chunks' checksums were verified by the structure check."""

    _pulls_fd = True

    def decode(self, buffer: Image.DecoderInput) -> tuple[int, int]:
        assert self.fd is not None and self.im is not None  # set by ImageFile.load before decode()
        inflater = IdatInflater(self._raw_size())
        rows = _Unfilter(Image._getdecoder(self.mode, "zip", self.args), self.im, self.state.extents())
        start = self.fd.tell()
        try:
            # The whole stream is inflated even after Pillow has failed on it (a bad filter type), so that the
            # stream's own faults are named first, as when the structure check inflated it before the decode.
            for out in _inflated(inflater, _idat_data(self.fd, start)):
                rows.feed(out)
        finally:
            rows.cleanup()
            # PngImageFile.load_end() reads on from the first IDAT chunk to the chunks after the pixels.
            self.fd.seek(start)
        if not (rows.done or rows.error):  # every row was counted, yet Pillow wants more: a wrong _BITS
            raise FileRefused("damaged", detail=TOO_LITTLE_DATA)
        return -1, rows.error

    def _raw_size(self) -> int:
        rawmode, *config = self.args  # config: (1,) when interlaced (PngImageFile.load_prepare)
        if rawmode not in _BITS:
            raise FileRefused("damaged", detail=UNREADABLE)
        return png_raw_size(
            self.state.xsize, self.state.ysize, _BITS[rawmode], interlaced=bool(config and config[0])
        )


def _idat_data(fd: IO[bytes], start: int) -> Iterator[bytes]:
    """The data of the run of IDAT chunks whose first one's data begins at ``start``, READ bytes at a time.
    A file that ends inside the run raises EOFError, as Pillow's own reading does (imaging.py words it)."""
    fd.seek(start - 8)
    while True:
        head = fd.read(8)
        if len(head) < 8:
            raise EOFError("the file ends inside its image data")
        length, kind = struct.unpack(">I4s", head)
        if kind != b"IDAT":
            return
        while length > 0:
            data = fd.read(min(READ, length))
            if not data:
                raise EOFError("the file ends inside its image data")
            length -= len(data)
            yield data
        fd.read(4)  # the checksum


class _Unfilter:
    """Pillow's PNG decoder fed the inflated rows as stored (uncompressed) deflate blocks, never the final one: it
    copies and unfilters them, and stops when the picture is full, before any stream checksum it was not given.
    A block goes in as its 5-byte header and then its bytes, so wrapping copies nothing (joining them cost more
    than the ~10 ms this whole detour adds)."""

    def __init__(
        self,
        # Pillow's C types exist only in its stubs, hence the quotes.
        decoder: "Image.core.ImagingDecoder | ImageFile.PyDecoder",
        im: "Image.core.ImagingCore",
        extents: tuple[int, int, int, int],
    ) -> None:
        self._decoder = decoder
        decoder.setimage(im, extents)
        self._pending: bytes = _ZLIB_HEADER
        self.done = False
        self.error = 0

    def feed(self, raw: bytes) -> None:
        view = memoryview(raw)
        for at in range(0, len(view), _STORED_MAX):
            block = view[at : at + _STORED_MAX]
            self._decode(struct.pack("<BHH", 0, len(block), len(block) ^ 0xFFFF))
            self._decode(block)

    def _decode(self, data: bytes | memoryview) -> None:
        if self.done or self.error:
            return
        if self._pending:  # the zlib header, or what the decoder left unread (it reads all it is given)
            data = self._pending + data
        consumed, error = self._decoder.decode(data)
        if consumed < 0:
            self.done, self.error = error == 0, error
        self._pending = bytes(data[consumed:]) if consumed > 0 else b""

    def cleanup(self) -> None:
        self._decoder.cleanup()


Image.register_decoder(CODEC, _CountedIdat)
