"""What the malware scanner cannot see by itself: zlib streams inside a picture (PNG zTXt, iTXt and iCCP chunks,
deflated TIFF strips). clamd unpacks archives but not these, so EICAR hidden in them passed (issue 10); the
walkers record where each stream lies and how much it may inflate to, and this inflates them, bounded."""

import zlib
from collections.abc import Iterator
from pathlib import Path

from inspiracle.pipeline.checks.layout import TOO_MUCH_DATA
from inspiracle.pipeline.errors import FileRefused

PIECE = 1 << 20  # bytes of output at a time: memory stays at about a megabyte whatever the stream holds


def unpacked(path: Path, packed: tuple[tuple[int, int, int], ...]) -> Iterator[bytes]:
    """The inflated bytes of every stream in ``packed`` ((start, stop, most bytes it may inflate to)), a
    piece at a time, for the scanner. A stream that inflates past its bound is a bomb: FileRefused. One that
    is corrupt ends where zlib stops; the decode step refuses the file if its pixels are in it."""
    with path.open("rb") as handle:
        for start, stop, bound in packed:
            handle.seek(start)
            data, inflater, produced = handle.read(stop - start), zlib.decompressobj(), 0
            try:
                while data and not inflater.eof:
                    out = inflater.decompress(data, PIECE)
                    produced += len(out)
                    if produced > bound:
                        raise FileRefused("damaged", detail=TOO_MUCH_DATA)
                    if out:
                        yield out
                    elif not inflater.unconsumed_tail:
                        break
                    data = inflater.unconsumed_tail
            except zlib.error:
                continue
