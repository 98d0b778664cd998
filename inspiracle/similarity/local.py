"""Local features for finding crops, borders, overlays, rotations and screenshots of a work (WRK-9, issue 14).

A global pHash sees the whole frame: cut a quarter away, add a border, turn the picture by 7 degrees or show it
inside a web page, and its key changes. Local features do not care about the frame: ORB keypoints with binary
descriptors, matched one by one and confirmed by a consistent similarity transform (RANSAC), find the part of a
stored picture that a new one shows, wherever it sits. Measured in bench/similarity.py.

The steps, each bounded so that a crafted picture or blob cannot make them expensive:

- ``extract``: at most ``MAX_KEYPOINTS`` ORB keypoints of a grey copy whose long side is ``WORK_SIDE``, taken in
  turns from the cells of a grid so that one busy corner (a panel of text) cannot take them all, and
  ``MAX_KEYS`` candidate keys. ``to_bytes`` stores it all in one blob of about 15 KB.
- Candidate keys, for the same kind of 64-bit Hamming index that holds the global keys: a pHash of the patch
  around each of 64 anchor keypoints (8 per pyramid level, 2 of them inside the centre that a centre crop
  shows whole; the slots of levels without keypoints go to the coarsest, see ``_anchors``), turned to the
  keypoint's orientation and taken at its scale (PDQ's family, per keypoint), and made blind to mirror images.
  ORB's own descriptors cut to 64 bits were tried first: unrelated pictures shared keys in 8% of pairs (corners
  look alike), these in well under 1%.
  A query probes with the keys of its picture at four sizes (``QUERY_SIDES``), so that a picture shown much
  smaller (a screenshot) or larger (a centre crop; 300 px for one also turned by 10 degrees, whose frame the
  turn grew by 1.16) still has keys at the scale of the stored ones; a stored picture is a candidate when
  ``CANDIDATE_MATCHES`` of its keys lie within ``KEY_DISTANCE`` of a probe. A query is never stored, so it
  keeps twice the keypoints (``QUERY_KEYPOINTS``) and anchors (``QUERY_PER_LEVEL``, one per cell of a 4 x 4
  grid) of a stored picture: a copy that fills 40% of a web page otherwise gets only a share of them, the rest
  going to the page's text. At the two sizes below the work size each anchor is also keyed with its patch
  turned by ``QUERY_TURNS`` (8 degrees either way) from ORB's orientation, which on a turned, compressed
  crop errs by 5.7 degrees in the median and 22 at p90 (decision 0024): three keys an anchor there, the
  stored keys as they were.
- A picture on a plain page (a screenshot, a border) is also looked at alone: the largest solid block on a
  page of one colour (``_picture_on_page``) at the work size, its keypoints mapped back onto the page. Its
  probes replace those of the smallest size (256 px), so a query never has more than 2 x 128 + 2 x 3 x 128 =
  1,024 (128 + 128 + 128 + 384 = 768 with a picture found on a page).
- ``verify``: descriptor matching (ratio test) then RANSAC of a rotation + uniform scale + shift (it cannot
  flip), within plausible scales, with more inliers at a small scale (``SMALL_SCALE_INLIERS``); the answer
  says where the matched region lies in both pictures. ORB is not mirror-invariant, so a query that does not
  verify upright is tried mirrored. A match through the picture found on a page needs ``PART_INLIERS``.

Pure library: Pillow, numpy and OpenCV, no Django.
"""

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
from PIL import Image

FORMAT = 1  # leading byte of a blob; a new layout gets a new number
WORK_SIDE = 512  # long side of the grey copy the keypoints are found in (smaller pictures are enlarged)
MAX_KEYPOINTS = 400  # kept per picture: 400 x 36 bytes + 64 keys x 8 = 14.9 KB a blob
MAX_KEYS = 64  # candidate keys stored per picture; a query probes with up to 128 at a size (3 x 128 turned)
QUERY_SIDES = (WORK_SIDE, 820, 256, 300)  # a query is looked at in these sizes (the work size first)
# Degrees: at the query sizes below the work size each anchor is also keyed with its patch turned this much
# from ORB's orientation (three keys an anchor there): a query probes with at most 2 x 128 + 2 x 384 = 1,024.
QUERY_TURNS = (8.0, -8.0)
QUERY_KEYPOINTS = 800  # kept per query size: a query is never stored, and a copy inside a page needs more
QUERY_PER_LEVEL = 16  # candidate-key anchors per pyramid level of a query (twice the stored _PER_LEVEL)
QUERY_KEY_GRID = 4  # a query's anchors: one per cell of a 4 x 4 grid on each level (see _anchors)
KEY_DISTANCE = 10  # two keys at most this many bits apart (of 64) count as one keypoint seen twice
CANDIDATE_MATCHES = 2  # keys seen twice before a stored picture is verified
MIN_INLIERS = 12  # matches consistent with one transform before a picture counts as a copy
SMALL_SCALE, SMALL_SCALE_INLIERS = 0.6, 18  # below this scale a copy needs more inliers (see _verify_one)
PART_INLIERS = 2 * MIN_INLIERS  # for a match through the picture found on a page (see verify)
_CONVINCING = 40  # inliers after which no other attempt (size, mirror) can be better in practice
_GRID = 4  # keypoints are spread over a 4 x 4 grid
_KEY_GRID, _PER_LEVEL, _LEVELS = 3, 8, 8  # candidate keys: 8 anchors on each of 8 pyramid levels
_CENTRE_PER_LEVEL = 2  # of a stored picture's 8 anchors a level, first from inside its centre (_anchors)
_CENTRE = 0.25  # the centre: what a crop keeping the middle 50% x 50% shows, a quarter of each side off
_SAMPLE = 32  # a keypoint's patch is sampled at 32 x 32 for its pHash
_PATCH = 1.5 * 31  # the patch's side in pixels of the keypoint's pyramid level: 1.5 ORB patches
_PATCH_DCT = np.cos(np.pi * np.arange(8)[:, None] * (2 * np.arange(_SAMPLE)[None, :] + 1) / (2 * _SAMPLE))
_RATIO = 0.8  # Lowe's ratio test: the best match must be clearly better than the second best
_MAX_MATCH_DISTANCE = 80  # of 256 bits: farther descriptors are not the same place
_REPROJECTION = 0.012 * WORK_SIDE  # RANSAC tolerance in pixels of the work copy
_SCALES = (0.2, 5.0)  # query-to-stored scales a copy can have; beyond them a "match" is a coincidence
# The query sizes below the work size are the ones a centre crop matches at (256 px shows a 50% crop's part of
# a stored picture at the stored scale, 300 px the same crop turned by 10 degrees). There ORB looks closer to
# the edge and takes weaker corners: on a 256 px copy the coarse pyramid levels are 71-123 px wide, and a
# 19 px margin leaves only their middle half, the part of a crop that the crop's own edge does not cut.
_SMALL_EDGE, _SMALL_FAST = 8, 4
_PAGE_SIDE = 256  # a query is looked for a picture on a plain page at this size (see _picture_on_page)
_PAGE_TOLERANCE = 8  # grey levels: pixels this close to the page's colour are background
_PAGE_SHARE = (0.08, 0.8)  # of the page's area: a smaller block is an icon, a larger one the picture itself
_MIN_SIDE = 48  # narrower work copies (slivers, banners) get no features
_MAX_SIDE = 16_384  # a blob's picture sides must be below this: a sanity bound, not a pipeline limit
_HEADER = struct.Struct("<BHHHB")  # format, width, height, keypoints, keys
_DESCRIPTOR = 32  # bytes of an ORB descriptor


@dataclass(frozen=True)
class LocalFeatures:
    """Keypoints of one picture: positions as fractions 0..1 of its width and height, ORB descriptors.

    ``width`` and ``height`` are those of the work copy, so that fractions can be turned back into pixels with
    the picture's own aspect ratio.
    """

    width: int
    height: int
    points: np.ndarray  # float32 (n, 2): x, y as fractions
    descriptors: np.ndarray  # uint8 (n, 32)
    keys: tuple[int, ...]  # candidate keys, signed int64

    def to_bytes(self) -> bytes:
        """One blob per file: a header, candidate keys, positions as 16-bit fractions, descriptors."""
        fractions = np.round(np.clip(self.points, 0.0, 1.0) * 65535).astype("<u2")
        header = _HEADER.pack(FORMAT, self.width, self.height, len(self.points), len(self.keys))
        keys = np.array(self.keys, dtype="<i8")
        descriptors = np.ascontiguousarray(self.descriptors, dtype=np.uint8)
        return header + keys.tobytes() + fractions.tobytes() + descriptors.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "LocalFeatures":
        """Read a blob written by ``to_bytes``; ValueError for anything else (the size is checked first, so a
        crafted header cannot make this allocate more than the blob itself)."""
        if len(blob) < _HEADER.size:
            raise ValueError("local features: blob too short")
        version, width, height, count, key_count = _HEADER.unpack_from(blob)
        if version != FORMAT:
            raise ValueError(f"local features: unknown format {version}")
        if not (0 < width < _MAX_SIDE and 0 < height < _MAX_SIDE):
            raise ValueError("local features: picture size out of range")
        if count > MAX_KEYPOINTS or key_count > MAX_KEYS:
            raise ValueError("local features: too many keypoints or keys")
        if len(blob) != _HEADER.size + 8 * key_count + count * (4 + _DESCRIPTOR):
            raise ValueError("local features: blob length does not match its header")
        start = _HEADER.size
        keys = np.frombuffer(blob, dtype="<i8", count=key_count, offset=start)
        start += 8 * key_count
        fractions = np.frombuffer(blob, dtype="<u2", count=2 * count, offset=start).reshape(count, 2)
        descriptors = np.frombuffer(blob, dtype=np.uint8, offset=start + 4 * count).reshape(
            count, _DESCRIPTOR
        )
        points = (fractions / 65535).astype(np.float32)
        return cls(width, height, points, descriptors.copy(), tuple(int(key) for key in keys))

    def pixels(self) -> np.ndarray:
        """Positions in pixels of the work copy (float32, n x 2)."""
        return self.points * np.array([self.width, self.height], dtype=np.float32)


class Query:
    """A new picture as a search needs it: its features at each of ``QUERY_SIDES`` (a copy shown smaller, in a
    screenshot, matches best at the larger size; a centre crop, shown larger, at the smaller), those of the
    picture it shows on a plain page if any (``part``, first of ``sides``), the probes of the candidate step
    made from them, and (made only when needed: ORB is not mirror-invariant) the features of its mirror
    image."""

    def __init__(self, image: Image.Image) -> None:
        grey = _grey(image)
        work = _resized(grey, WORK_SIDE)  # once: the work size's features and the mirror image's
        self._mirror_source = work[:, ::-1]
        page = tuple(
            _features(
                work if side == WORK_SIDE else _resized(grey, side),
                query=True,
                small=side < WORK_SIDE,
            )
            for side in QUERY_SIDES
        )
        self.upright = page[0]
        box = _picture_on_page(grey)
        self.part = None if box is None else _part_features(grey, box)
        if self.part is None:
            self.sides, probing = page, page
        else:
            # The picture at the work size of a stored one, tried first; its probes take the place of the
            # smallest size's, where a picture that fills only part of a page is too small to match anyway.
            smallest = QUERY_SIDES.index(min(QUERY_SIDES))
            self.sides, probing = (self.part, *page), (self.part, *page[:smallest], *page[smallest + 1 :])
        self.probes = tuple(dict.fromkeys(key for features in probing for key in features.keys))

    @cached_property
    def mirrored(self) -> LocalFeatures:
        return _features(np.ascontiguousarray(self._mirror_source), query=True)


@dataclass(frozen=True)
class Verified:
    """A stored picture confirmed as (part of) the query; boxes are (left, top, right, bottom) fractions."""

    inliers: int
    matrix: np.ndarray  # 2 x 3, query fractions -> stored fractions (of the mirrored query if ``mirrored``)
    scale: float  # stored pixels per query pixel, both at the work size
    mirrored: bool
    stored_box: tuple[float, float, float, float]  # the part of the stored picture the query shows
    query_box: tuple[float, float, float, float]  # where that part lies in the query picture


def extract(image: Image.Image) -> LocalFeatures:
    """Keypoints, descriptors and candidate keys of an upright (EXIF-transposed) picture of any size; the
    pipeline's clean 1600 px preview is best (it is brought to ``WORK_SIDE`` here)."""
    return _features(_resized(_grey(image), WORK_SIDE))


def extract_query(image: Image.Image) -> Query:
    """What a search needs of a new picture (upright, any size; the clean preview is best)."""
    return Query(image)


def candidate_keys(features: LocalFeatures) -> tuple[int, ...]:
    """Signed 64-bit keys, at most ``MAX_KEYS``, to store as rows (one each, like FileHashKey)."""
    return features.keys


def is_candidate(key_matches: int) -> bool:
    """The rule for the index step: enough keys of a stored picture within ``KEY_DISTANCE`` of the probes."""
    return key_matches >= CANDIDATE_MATCHES


def verify(query: Query | LocalFeatures, stored: LocalFeatures) -> Verified | None:
    """The transform that maps the query onto the stored picture, if enough matches agree on one. A ``Query``
    is tried upright at each of its sizes, then mirrored (so mirror copies are found; the result says which),
    and the attempt with most inliers wins: a chance alignment of a dozen points at one size must not hide the
    true answer at another. A convincing answer ends the attempts early, so a true copy usually costs one
    attempt and an unrelated candidate five (six with a picture found on a page)."""
    if isinstance(query, LocalFeatures):
        return _verify_one(query, stored, mirrored=False)
    best: Verified | None = None
    attempts = [(features, False) for features in query.sides] + [(None, True)]
    for features, mirrored in attempts:
        # A picture found on a page is one attempt more, so one chance more for a coincidence: it must be
        # clearly better than one (bench --quick: true copies 29-360 inliers there, LFW faces on faces 12-18).
        needed = PART_INLIERS if features is not None and features is query.part else MIN_INLIERS
        found = _verify_one(
            query.mirrored if features is None else features, stored, mirrored=mirrored, needed=needed
        )
        if found is not None and (best is None or found.inliers > best.inliers):
            best = found
        if best is not None and best.inliers >= _CONVINCING:
            break
    return best


def _verify_one(
    query: LocalFeatures, stored: LocalFeatures, *, mirrored: bool, needed: int = MIN_INLIERS
) -> Verified | None:
    pairs = _matches(query.descriptors, stored.descriptors)
    if len(pairs) < needed:
        return None
    source = query.pixels()[pairs[:, 0]]
    target = stored.pixels()[pairs[:, 1]]
    matrix, mask = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=_REPROJECTION,
        maxIters=2000,
        confidence=0.995,
    )
    if matrix is None or mask is None:
        return None
    inliers = int(mask.sum())
    scale = float(np.sqrt(abs(np.linalg.det(matrix[:, :2]))))
    if inliers < needed or not _SCALES[0] <= scale <= _SCALES[1]:
        return None
    # The query mapped onto a small part of the stored picture: most unrelated pairs that verified (a face with
    # a border on a horse, LFW face on face) did so at scales 0.2-0.6 with 12-16 inliers, where a dozen chance
    # matches find room; a true copy at such a scale (a centre crop) is also tried at the smaller query size,
    # where its scale is near 1. bench --quick: false matches 9 -> 5 of 85,436 pairs, one screenshot lost.
    if scale < SMALL_SCALE and inliers < SMALL_SCALE_INLIERS:
        return None
    fractional = _in_fractions(matrix, query, stored)
    query_box = _box_through(_invert(fractional))
    if mirrored:
        query_box = (1.0 - query_box[2], query_box[1], 1.0 - query_box[0], query_box[3])
    return Verified(inliers, fractional, scale, mirrored, _box_through(fractional), query_box)


def _picture_on_page(grey: np.ndarray) -> tuple[int, int, int, int] | None:
    """The largest solid block on a plain page (a picture in a screenshot, or inside a border), as a pixel
    box (left, top, right, bottom) of ``grey``; None when the edges are not of one colour or no block is.

    Found on a small copy: pixels away from the colour of most of the edge, opened with a square 3% of the side
    so that lines of text (thin strokes with gaps) fall apart, and the largest connected block that fills most
    of its bounding box. The keypoints of a page go mostly to its text, and the picture is smaller than its
    stored copy: seen alone, at the work size, it matches like an unaltered copy."""
    small = _resized(grey, _PAGE_SIDE).astype(np.int16)
    height, width = small.shape
    edge = np.concatenate([small[0], small[-1], small[:, 0], small[:, -1]])
    colour = int(np.median(edge))
    if np.mean(np.abs(edge - colour) <= _PAGE_TOLERANCE) < 0.6 or min(width, height) < _MIN_SIDE:
        return None
    ink = (np.abs(small - colour) > _PAGE_TOLERANCE).astype(np.uint8)
    side = max(3, round(0.03 * max(width, height)))
    blocks = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(blocks, connectivity=4)
    if count < 2:
        return None
    left, top, wide, high, area = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]
    share = wide * high / (width * height)
    if not _PAGE_SHARE[0] <= share <= _PAGE_SHARE[1] or area < 0.6 * wide * high:
        return None
    scale = grey.shape[1] / width, grey.shape[0] / height
    return (
        round(left * scale[0]),
        round(top * scale[1]),
        round((left + wide) * scale[0]),
        round((top + high) * scale[1]),
    )


def _part_features(grey: np.ndarray, box: tuple[int, int, int, int]) -> LocalFeatures:
    """Features of ``box`` brought to the work size, with positions as fractions of the whole page at that
    scale, so that a match's boxes are those of the page."""
    left, top, right, bottom = box
    part = grey[top:bottom, left:right]
    scale = WORK_SIDE / max(part.shape)
    features = _features(_resized(part, WORK_SIDE), query=True)
    width, height = round(grey.shape[1] * scale), round(grey.shape[0] * scale)
    shift = np.array([left * scale, top * scale], dtype=np.float32)
    points = (features.pixels() + shift) / np.array([width, height], dtype=np.float32)
    return LocalFeatures(width, height, points.astype(np.float32), features.descriptors, features.keys)


def _matches(query: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """(query row, stored row) pairs that pass the ratio test, as an int array (n, 2)."""
    if len(query) < 2 or len(stored) < 2:
        return np.empty((0, 2), dtype=np.int64)
    # The two nearest stored descriptors of each query descriptor as arrays (what BFMatcher.knnMatch computes,
    # without a Python object per match: the same pairs, in 10% less time).
    distance, nearest = cv2.batchDistance(query, stored, cv2.CV_32S, normType=cv2.NORM_HAMMING, K=2)
    best, second = distance[:, 0], distance[:, 1]
    rows = np.flatnonzero((best <= _MAX_MATCH_DISTANCE) & (best < _RATIO * second))
    return np.stack([rows, nearest[rows, 0]], axis=1).astype(np.int64)


def _in_fractions(matrix: np.ndarray, query: LocalFeatures, stored: LocalFeatures) -> np.ndarray:
    """The pixel transform rewritten to map query fractions to stored fractions."""
    into = np.diag([query.width, query.height, 1.0])
    out = np.diag([1 / stored.width, 1 / stored.height, 1.0])
    full = out @ np.vstack([matrix, [0, 0, 1]]) @ into
    return full[:2]


def _invert(matrix: np.ndarray) -> np.ndarray:
    return np.linalg.inv(np.vstack([matrix, [0, 0, 1]]))[:2]


def _box_through(matrix: np.ndarray) -> tuple[float, float, float, float]:
    """Where the unit square lands under ``matrix``, as a box clipped to the unit square."""
    corners = np.array([[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]], dtype=np.float64) @ matrix.T
    low = np.clip(corners.min(axis=0), 0.0, 1.0)
    high = np.clip(corners.max(axis=0), 0.0, 1.0)
    return (float(low[0]), float(low[1]), float(high[0]), float(high[1]))


def _features(grey: np.ndarray, *, query: bool = False, small: bool = False) -> LocalFeatures:
    """Features of a work copy; a query's keep more keypoints and anchors (it is never stored). ``small``: a
    query size below the work size, where ORB also looks near the edge (see ``_SMALL_EDGE``), anchors on a
    plain frame come last (``_frame_last``) and each anchor is also keyed turned by ``QUERY_TURNS``."""
    limit, per_level, grid = (
        (QUERY_KEYPOINTS, QUERY_PER_LEVEL, QUERY_KEY_GRID)
        if query
        else (MAX_KEYPOINTS, _PER_LEVEL, _KEY_GRID)
    )
    height, width = grey.shape
    if min(width, height) < _MIN_SIDE:  # a sliver: ORB's pyramid would shrink it to nothing (and raise)
        return _empty(width, height)
    orb = _orb(limit, small=small)
    keypoints = orb.detect(grey, None)
    if not keypoints:
        return _empty(width, height)
    # The keypoints' attributes as arrays, read once: building them per use (the grid, each pyramid level) from
    # the Python objects cost about a tenth of a query's CPU time (79 -> 72 ms on a 1600 px preview).
    found = _Keypoints(
        xy=np.asarray(cv2.KeyPoint.convert(keypoints), dtype=np.float64).reshape(-1, 2),
        strength=np.fromiter((kp.response for kp in keypoints), dtype=np.float64, count=len(keypoints)),
        octave=np.fromiter((kp.octave for kp in keypoints), dtype=np.int64, count=len(keypoints)),
    )
    chosen = _spread(found, width, height, limit)
    points = found.xy[chosen].astype(np.float32).reshape(-1, 2)
    points /= np.array([width, height], dtype=np.float32)
    if small:
        found = _frame_last(found, _frame_distance(grey))
    anchors = _anchors(found, width, height, per_level, grid, fill=not query)
    keys = _patch_keys(grey, [keypoints[i] for i in anchors], QUERY_TURNS if small else ())
    return LocalFeatures(width, height, points, _described(orb, grey, keypoints, chosen), keys)


def _described(
    orb: cv2.ORB, grey: np.ndarray, keypoints: Sequence[cv2.KeyPoint], chosen: list[int]
) -> np.ndarray:
    """The descriptors of the ``chosen`` keypoints: the rows detectAndCompute gives them, without describing
    the other three quarters of the candidates (issue 14; decision 0025's second pass). ORB describes
    keypoints level by level, so they go in in the order detect() found them and come back in ``chosen``'s."""
    order = np.argsort(chosen, kind="stable")
    given = [keypoints[chosen[i]] for i in order]
    kept, descriptors = orb.compute(grey, given)
    if descriptors is None or not _same_points(kept, given):  # ORB dropped or moved one: describe them all
        _, descriptors = orb.detectAndCompute(grey, None)
        return descriptors[chosen]
    rows = np.empty_like(descriptors)
    rows[order] = descriptors
    return rows


def _same_points(kept: Sequence[cv2.KeyPoint], given: Sequence[cv2.KeyPoint]) -> bool:
    return len(kept) == len(given) and np.array_equal(cv2.KeyPoint.convert(kept), cv2.KeyPoint.convert(given))


_OUTSIDE = -1e6  # far outside any picture: keypoints moved there share one grid cell (_frame_last)


def _frame_distance(grey: np.ndarray) -> np.ndarray | None:
    """How far (float32 pixels) each pixel of ``grey`` lies from the plain frame around the picture (the corners
    that a rotation fills, a border): pixels of the edge's colour connected to the edge. None when the edge is
    not mostly of one colour (the test of ``_picture_on_page``). Made at the query sizes below the work
    size."""
    pixels = grey.astype(np.int16)
    edge = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colour = int(np.median(edge))
    if np.mean(np.abs(edge - colour) <= _PAGE_TOLERANCE) < 0.6:
        return None
    fill = (np.abs(pixels - colour) <= _PAGE_TOLERANCE).astype(np.uint8)
    _, labels = cv2.connectedComponents(fill, connectivity=4)
    rim = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    frame = np.isin(labels, rim[rim > 0])
    return cv2.distanceTransform((~frame).astype(np.uint8), cv2.DIST_L2, 3)


def _frame_last(found: "_Keypoints", frame: np.ndarray | None) -> "_Keypoints":
    """``found`` made for the anchors of a query size below the work size: the keypoints whose key patch (see
    ``_patch_keys``) reaches the frame are moved outside the picture, into one cell of their own (so a corner
    cell that the frame fills gives its turn to the others), and ranked below all others. A 50% centre crop
    turned by 10 degrees (white corners around it) otherwise anchored most cells of the 4 x 4 grid on the
    frame's edge, where no stored key is. Last, not dropped: a silhouette on white (skimage's horse) has no
    other keypoints."""
    if frame is None or not len(found.strength):
        return found
    xy = np.clip(found.xy.astype(np.int64), 0, [frame.shape[1] - 1, frame.shape[0] - 1])
    reach = _PATCH / 2 * 1.2**found.octave
    touches = frame[xy[:, 1], xy[:, 0]] < reach
    strength = np.where(touches, found.strength - found.strength.max() - 1.0, found.strength)
    return _Keypoints(np.where(touches[:, None], _OUTSIDE, found.xy), strength, found.octave)


def _orb(limit: int, *, small: bool = False) -> cv2.ORB:
    # Four times as many candidates as are kept, so the grid has strong ones to choose from in every cell.
    # edgeThreshold below the 31 px patch: the border would otherwise lose 6% of each side of the work copy
    # (ORB describes a keypoint near the edge on a mirrored border).
    edge, fast = (_SMALL_EDGE, _SMALL_FAST) if small else (19, 5)
    return cv2.ORB.create(
        nfeatures=4 * limit, scaleFactor=1.2, nlevels=8, edgeThreshold=edge, fastThreshold=fast
    )


@dataclass(frozen=True)
class _Keypoints:
    """ORB's keypoints as arrays: positions in pixels (n, 2), responses and pyramid levels."""

    xy: np.ndarray
    strength: np.ndarray
    octave: np.ndarray

    def subset(self, rows: np.ndarray) -> "_Keypoints":
        return _Keypoints(self.xy[rows], self.strength[rows], self.octave[rows])


def _spread(keypoints: _Keypoints, width: int, height: int, limit: int) -> list[int]:
    """Indexes of at most MAX_KEYPOINTS keypoints for verification, taken in turns from the cells of a 4 x 4
    grid (a busy corner of text would otherwise crowd out the picture)."""
    return _round_robin(keypoints, width, height, _GRID, limit)


def _round_robin(keypoints: _Keypoints, width: int, height: int, grid: int, limit: int) -> list[int]:
    """Each cell's strongest, then each cell's second strongest, ...; by strength within a round."""
    strength, xy = keypoints.strength, keypoints.xy
    column = np.minimum((xy[:, 0] * grid / width).astype(np.int64), grid - 1)
    row = np.minimum((xy[:, 1] * grid / height).astype(np.int64), grid - 1)
    cells = row * grid + column
    by_cell = np.lexsort((-strength, cells))  # cell by cell, strongest first within a cell
    first = np.searchsorted(cells[by_cell], cells[by_cell], side="left")
    rank_in_cell = np.empty(len(strength), dtype=np.int64)
    rank_in_cell[by_cell] = np.arange(len(strength)) - first
    return [int(i) for i in np.lexsort((-strength, rank_in_cell))[:limit]]


def _grey(image: Image.Image) -> np.ndarray:
    """The picture as grey uint8 pixels; transparent pixels shown on white, as on the site."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return np.asarray(image.convert("L"))


def _resized(grey: np.ndarray, side: int) -> np.ndarray:
    """``grey`` with long side ``side``: area-averaged when shrinking, bicubic when enlarging."""
    height, width = grey.shape
    scale = side / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)


def _empty(width: int, height: int) -> LocalFeatures:
    return LocalFeatures(
        width, height, np.empty((0, 2), dtype=np.float32), np.empty((0, _DESCRIPTOR), dtype=np.uint8), ()
    )


def _anchors(
    keypoints: _Keypoints, width: int, height: int, per_level: int, grid: int, *, fill: bool
) -> list[int]:
    """The keypoints that anchor candidate keys: ``per_level`` of each pyramid level, strongest first, taken
    in turns from the cells of a ``grid`` x ``grid`` grid. Per level, because a copy at another scale shows
    the same structures some levels up or down, and the strongest of a level there are the strongest of the
    matching level here; in turns, because an opaque panel of text would otherwise supply them all.

    With ``fill`` (a stored picture), the first ``_CENTRE_PER_LEVEL`` of a level are its strongest keypoints whose whole
    patch lies in the centre half of each side: a centre crop keeping 50% x 50% shows that part whole, so
    those keys are the same in the crop, where keys anchored near the crop's edge are not (a grid cell's
    strongest is often there). And the slots of levels with too few keypoints go to the others, coarsest
    first: a small or blurred picture (an enlarged 25 px LFW face) has no keypoints on its finest levels, and
    its coarse structures are what a copy shown small (a screenshot) still shows."""
    central = _in_centre(keypoints, width, height) if fill else np.zeros(len(keypoints.octave), dtype=bool)
    ranked: list[list[int]] = []
    # No level can take more than all the slots: ranking the rest of a level's keypoints changed nothing.
    most = per_level * (_LEVELS if fill else 1)
    for level in range(_LEVELS):
        on_level = np.flatnonzero(keypoints.octave == level)
        inside = on_level[central[on_level]]
        first = inside[np.argsort(-keypoints.strength[inside], kind="stable")][:_CENTRE_PER_LEVEL]
        rest = np.setdiff1d(on_level, first)
        order = _round_robin(keypoints.subset(rest), width, height, grid, most)
        ranked.append([int(i) for i in first] + [int(rest[i]) for i in order])
    taken = [min(per_level, len(level)) for level in ranked]
    spare = per_level * _LEVELS - sum(taken) if fill else 0
    while spare > 0 and any(taken[level] < len(ranked[level]) for level in range(_LEVELS)):
        for level in reversed(range(_LEVELS)):
            extra = min(per_level, len(ranked[level]) - taken[level], spare)
            taken[level] += extra
            spare -= extra
    return [index for level in range(_LEVELS) for index in ranked[level][: taken[level]]]


def _in_centre(keypoints: _Keypoints, width: int, height: int) -> np.ndarray:
    """Which keypoints have their key's whole patch (see ``_patch_keys``) inside the centre box."""
    half = _PATCH / 2 * 1.2**keypoints.octave
    x, y = keypoints.xy[:, 0], keypoints.xy[:, 1]
    room_x = np.minimum(x - _CENTRE * width, (1 - _CENTRE) * width - x)
    room_y = np.minimum(y - _CENTRE * height, (1 - _CENTRE) * height - y)
    return (room_x >= half) & (room_y >= half)


def _patch_keys(
    grey: np.ndarray, keypoints: list[cv2.KeyPoint], turns: tuple[float, ...] = ()
) -> tuple[int, ...]:
    """A pHash of the patch around each keypoint, turned to its orientation and scaled to its pyramid level
    (PDQ's family, per keypoint); made blind to mirror images, so one probe set finds mirrored copies too.
    With ``turns`` (degrees, a query's), each keypoint also gets the keys of its patch turned that much
    further, for when ORB's orientation is off (a keypoint's keys together, the one without a turn first)."""
    if not keypoints:
        return ()
    pyramid = _pyramid(grey, max(kp.octave for kp in keypoints))
    angles = (0.0, *turns)
    patches = np.empty((len(keypoints) * len(angles), _SAMPLE, _SAMPLE), dtype=np.float32)
    for number, keypoint in enumerate(keypoints):
        scale = 1.2**keypoint.octave
        centre = (keypoint.pt[0] / scale, keypoint.pt[1] / scale)
        for turn, angle in enumerate(angles):
            matrix = cv2.getRotationMatrix2D(centre, keypoint.angle + angle, _SAMPLE / _PATCH)
            matrix[:, 2] += np.array([_SAMPLE / 2 - centre[0], _SAMPLE / 2 - centre[1]])
            patches[number * len(angles) + turn] = cv2.warpAffine(
                pyramid[keypoint.octave],
                matrix,
                (_SAMPLE, _SAMPLE),
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_REFLECT,
            )
    keys = _mirror_blind_hashes(_PATCH_DCT @ patches @ _PATCH_DCT.T)
    return tuple(dict.fromkeys(int(key) for key in keys))


def _pyramid(grey: np.ndarray, top: int) -> list[np.ndarray]:
    """ORB's pyramid up to level ``top``, made as ORB makes it: each level 1/1.2 of the one below, bilinear."""
    height, width = grey.shape
    levels = [grey]
    for level in range(1, top + 1):
        size = (max(1, round(width / 1.2**level)), max(1, round(height / 1.2**level)))
        levels.append(cv2.resize(levels[-1], size, interpolation=cv2.INTER_LINEAR))
    return levels


def _mirror_blind_hashes(low: np.ndarray) -> np.ndarray:
    """Signed 64-bit keys of (n, 8, 8) low frequencies: the coefficients above their median. Turned to its
    keypoint's orientation, a mirrored patch is the same patch flipped top to bottom, which flips the sign of
    every odd vertical frequency; those are flipped here so that their largest is positive, giving both the
    same key."""
    odd = low[:, 1::2, :].reshape(len(low), -1)
    flip = odd[np.arange(len(low)), np.abs(odd).argmax(axis=1)] < 0
    low[flip, 1::2, :] *= -1
    flat = low.reshape(len(low), -1)
    bits = np.packbits(flat > np.median(flat, axis=1, keepdims=True), axis=1)
    return bits.view(">i8").reshape(-1)
