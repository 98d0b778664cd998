"""Perceptual fingerprints of images, for finding near-duplicates of uploaded works (WRK-9).

A key is a pHash (which of the 8 x 8 lowest DCT frequencies of a 32 x 32 grey sample lie above their median)
made blind to the eight turns and mirrors of a picture, computed for the whole picture and for
windows of it. Why each part (measured: bench/similarity.py, docs/decisions/0004-similarity.md):

- Mirrors and quarter turns. Mirroring a picture left to right flips the sign of every DCT coefficient with an
  odd horizontal frequency; top to bottom, an odd vertical one; a transpose swaps the two frequencies. So the
  hash is taken of a canonical form: transposed if the vertical frequencies carry more energy, then each class
  of odd coefficients flipped so that its largest coefficient is positive. All eight variants of a picture get
  the same key. When the choice is close (two coefficients of almost equal size and opposite signs, or as much
  vertical as horizontal energy) a small change could tip it, so the other choice is stored as an extra key.
- Crops. A global hash tolerates about 3% cut from an edge. Cuts of up to 10% are caught by storing keys of
  the windows a cropped copy would show: the centre, each corner and each side at 90%.
- Searching costs one probe: the canonical key of the whole picture. The extra keys live on the stored side,
  where they cost memory, not query time.

``phash`` and ``dhash`` are imagehash's plain values, for display and the proof-of-creation log. The pHash is
computed here with the same DCT as the keys (equal to imagehash.phash, bit for bit): imagehash's own imports
scipy.fftpack, 2-3 seconds of start-up in every worker.
"""

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

_SIDE = 128  # the grey square every window is cut from
_SAMPLE = 32  # pHash's sample: 32 x 32 pixels, of which the 8 x 8 lowest frequencies are kept
_LOW = 8

# Windows (left, top, right, bottom) as fractions of the picture, the whole picture first. Each costs one stored
# key per picture, more when its canonical form is ambiguous (13.4 on average in the bench).
WINDOWS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 0.0, 1.0, 1.0),
    (0.05, 0.05, 0.95, 0.95),
    (0.0, 0.0, 0.9, 0.9),
    (0.1, 0.0, 1.0, 0.9),
    (0.0, 0.1, 0.9, 1.0),
    (0.1, 0.1, 1.0, 1.0),
    (0.0, 0.0, 0.9, 1.0),
    (0.1, 0.0, 1.0, 1.0),
    (0.0, 0.0, 1.0, 0.9),
    (0.0, 0.1, 1.0, 1.0),
)

# When the canonical choice counts as ambiguous, so that the other choice is stored as well: the transpose when
# the horizontal and vertical energies differ by less than this share of the total; a sign when the runner-up
# of opposite sign is at least this fraction of the largest coefficient. Wider for the whole picture, which is
# what a resized, recompressed, stamped or turned copy is compared with; narrower for the crop windows, which
# would otherwise double the keys.
_WHOLE_TRANSPOSE_MARGIN, _WHOLE_SIGN_RATIO = 0.2, 0.5
_WINDOW_TRANSPOSE_MARGIN, _WINDOW_SIGN_RATIO = 0.05, 0.87

# Below this standard deviation (grey levels) a sample has no picture to speak of: blank images would all
# "match" each other, so they get no keys (exact copies are still found by SHA-256).
_FLAT = 1.0

_MASK64 = (1 << 64) - 1
_n = np.arange(_SAMPLE)
# The first 8 rows of the DCT-II matrix for 32 samples; a constant factor is left out (the median ignores it).
_DCT = np.cos(np.pi * np.arange(_LOW)[:, None] * (2 * _n[None, :] + 1) / (2 * _SAMPLE))
_V, _U = np.mgrid[0:_LOW, 0:_LOW]  # vertical, horizontal frequency of each coefficient
_ODD_U = (_V % 2 == 0) & (_U % 2 == 1)  # flips sign with a left-right mirror
_ODD_V = (_V % 2 == 1) & (_U % 2 == 0)  # flips sign with a top-bottom mirror
_UPPER, _LOWER = _U > _V, _V > _U


@dataclass(frozen=True)
class Fingerprint:
    phash: int  # imagehash pHash, unsigned 64-bit
    dhash: int  # imagehash dHash, unsigned 64-bit
    keys: tuple[int, ...]  # signed int64, to store (one row each)
    probes: tuple[int, ...]  # signed int64, to search with


def fingerprint(image: Image.Image) -> Fingerprint:
    """The fingerprint of an upright (EXIF-transposed) picture, best a derivative of about 400-512 px."""
    grey = _grey(image)
    square = grey.resize((_SIDE, _SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    keys: dict[int, None] = {}
    probes: tuple[int, ...] = ()
    for number, window in enumerate(WINDOWS):
        whole = number == 0
        forms = _canonical_forms(
            _low_frequencies(square, window),
            transpose_margin=_WHOLE_TRANSPOSE_MARGIN if whole else _WINDOW_TRANSPOSE_MARGIN,
            sign_ratio=_WHOLE_SIGN_RATIO if whole else _WINDOW_SIGN_RATIO,
        )
        hashes = [to_signed(_bits(form)) for form in forms]
        keys.update(dict.fromkeys(hashes))
        if whole and hashes:
            probes = (hashes[0],)
    return Fingerprint(
        phash=_bits(_dct_low(_sample(grey))),
        dhash=int(str(imagehash.dhash(grey)), 16),
        keys=tuple(keys),
        probes=probes,
    )


def distance(a: int, b: int) -> int:
    """Hamming distance between two keys, signed or unsigned."""
    return ((a ^ b) & _MASK64).bit_count()


def to_signed(u: int) -> int:
    """An unsigned 64-bit value as the signed int64 a database BigIntegerField holds."""
    if not 0 <= u <= _MASK64:
        raise ValueError(f"{u} is not an unsigned 64-bit value")
    return u - (1 << 64) if u >> 63 else u


def to_unsigned(s: int) -> int:
    if not -(1 << 63) <= s < 1 << 63:
        raise ValueError(f"{s} is not a signed 64-bit value")
    return s & _MASK64


def _grey(image: Image.Image) -> Image.Image:
    # Transparent pixels are shown on white (the site's background); their hidden colour is arbitrary.
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return image.convert("L")


def _low_frequencies(square: Image.Image, window: tuple[float, float, float, float]) -> np.ndarray | None:
    left, top, right, bottom = (edge * _SIDE for edge in window)
    pixels = _sample(square, box=(left, top, right, bottom))
    return None if pixels.std() < _FLAT else _dct_low(pixels)


def _sample(image: Image.Image, box: tuple[float, float, float, float] | None = None) -> np.ndarray:
    return np.asarray(image.resize((_SAMPLE, _SAMPLE), Image.Resampling.LANCZOS, box=box), dtype=np.float64)


def _dct_low(pixels: np.ndarray) -> np.ndarray:
    """The 8 x 8 lowest DCT-II frequencies of a 32 x 32 sample, [vertical, horizontal] frequency."""
    return _DCT @ pixels @ _DCT.T


def _canonical_forms(
    low: np.ndarray | None, *, transpose_margin: float, sign_ratio: float
) -> list[np.ndarray]:
    """The canonical form of ``low`` first, then the forms a close call could have given instead."""
    if low is None:
        return []
    energy = low * low
    total = energy.sum() - energy[0, 0]
    if not total > 0:  # variation only at frequencies too fine for the hash: nothing to go by
        return []
    lean = (energy[_UPPER].sum() - energy[_LOWER].sum()) / total
    turns = [low.T if lean < 0 else low]
    if abs(lean) < transpose_margin:
        turns.append(low if lean < 0 else low.T)
    forms = []
    for turned in turns:
        flips_u = _sign_choices(turned[_ODD_U], sign_ratio)
        flips_v = _sign_choices(turned[_ODD_V], sign_ratio)
        for flip_u in flips_u:
            for flip_v in flips_v:
                form = turned.copy()
                if flip_u:
                    form[:, 1::2] *= -1
                if flip_v:
                    form[1::2, :] *= -1
                forms.append(form)
    return forms


def _sign_choices(coefficients: np.ndarray, sign_ratio: float) -> list[bool]:
    """Whether to flip a class so its largest coefficient is positive; both answers if the runner-up of the
    opposite sign is nearly as large (a small change would make it the largest)."""
    first, second = coefficients[np.argsort(-np.abs(coefficients))[:2]]
    flip = bool(first < 0)
    if (first < 0) != (second < 0) and abs(second) >= sign_ratio * abs(first):
        return [flip, not flip]
    return [flip]


def _bits(low: np.ndarray) -> int:
    above = low.ravel() > np.median(low)
    return int.from_bytes(np.packbits(above).tobytes(), "big")
