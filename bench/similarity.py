"""WRK-9 near-duplicate search: query time, recall and false matches. Run: uv run --offline python bench/similarity.py
(``--quick``: 30 faces instead of 80 and no query-time section: 6-8 minutes on this 2-core machine under
the load of other jobs).

Query time: HashIndex.search with one probe against 100,000 and 1,000,000 random stored keys, on one core
(numpy's bitwise ufuncs are single-threaded; OMP_NUM_THREADS=1 is set anyway).

Recall and false matches: the pictures bundled inside scikit-image (nothing is downloaded) plus the first 80 LFW
faces of skimage's lfw_subset.npy (25 x 25 px, enlarged to 200 px). motorcycle_right is left out: it is the
other half of a stereo pair with motorcycle_left, a near-duplicate of it. No other real picture ships in the
venv (the only other large PNGs are networkx test plots and imagehash's logo). Each picture is stored; each
altered copy is searched. Like the pipeline, global keys come from a thumbnail of at most 400 px and local
features (similarity/local.py) from the clean preview of at most 1600 px (never enlarged).

The unseen set, reported on its own: pictures no parameter was tuned on, stored and searched with the others
(so they are distractors too): the last 20 LFW faces (80-99) and PyWavelets' two photographs (aero, ascent;
its camera is skimage's), installed as a dependency of imagehash.

Families marked ^ combine issue 14's alterations at the ends of its ranges; they are reported but left out of
"overall" (their queries do count among the unrelated pairs of the false matches). "Issue 14 targets" sums up
the full scheme family by family, per set and over all pictures, against the issue's goals.

Three schemes per family: (a) today's global keys (one probe within NEAR_DISTANCE), (b) the candidate step of
local features alone (enough local keys within KEY_DISTANCE), (c) the full scheme: global hit OR a local
candidate that verify() confirms. A false match is an unrelated pair the scheme would report.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pywt.data  # noqa: E402
import skimage.data  # noqa: E402
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps  # noqa: E402

from inspiracle.similarity import local  # noqa: E402
from inspiracle.similarity.hashing import fingerprint  # noqa: E402
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex  # noqa: E402

cv2.setNumThreads(1)  # the per-upload cost is stated for one core
DATA = Path(skimage.data.__file__).parent
PICTURES = [
    "astronaut", "brick", "camera", "cell", "chelsea", "clock_motion", "coffee", "coins", "color", "grass",
    "gravel", "horse", "hubble_deep_field", "ihc", "logo", "microaneurysms", "moon", "motorcycle_left", "page",
    "phantom", "retina", "rocket", "text",
]  # fmt: skip
THUMBNAIL = 400  # pipeline/imaging.py: the hash image is the clean 400 px thumbnail
PREVIEW = 1600  # pipeline/imaging.py: the clean preview, before its watermark, for local features
UNSEEN_FACES = 80  # LFW faces 80-99 are the unseen set's (the file's last 100 pictures are not faces)
COLOURS = [(200, 30, 30), (20, 120, 220), (250, 250, 250), (10, 10, 10), (240, 200, 0), (60, 160, 60)]


def crop(image, left, top, right, bottom):
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))


def jpeg(image, quality):
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def stamp(image):
    image = image.convert("RGB")
    w, h = image.size
    font = ImageFont.load_default(size=max(10, h // 12))
    draw = ImageDraw.Draw(image)
    draw.text(
        (w * 0.05, h * 0.82),
        "(c) someone else 2025",
        font=font,
        fill="white",
        stroke_width=2,
        stroke_fill="black",
    )
    return image


def corner_crop(image, cut, number):
    """``cut`` of the width and of the height taken off at one corner (which one varies by picture)."""
    left, top = [(cut, cut), (0, cut), (cut, 0), (0, 0)][number % 4]
    return crop(image, left, top, left + 1 - cut, top + 1 - cut)


def centre_crop(image, keep):
    """The centre ``keep`` of each side."""
    edge = (1 - keep) / 2
    return crop(image, edge, edge, 1 - edge, 1 - edge)


def border(image, share, number):
    """A border of ``share`` of each side, in a colour."""
    image = image.convert("RGB")
    w, h = image.size
    dx, dy = round(w * share), round(h * share)
    framed = Image.new("RGB", (w + 2 * dx, h + 2 * dy), COLOURS[number % len(COLOURS)])
    framed.paste(image, (dx, dy))
    return framed


def rotate(image, degrees, number):
    """Turned by a few degrees (either way), the corners filled white, the frame enlarged to hold it all."""
    sign = 1 if number % 2 else -1
    return image.convert("RGB").rotate(
        sign * degrees, Image.Resampling.BICUBIC, expand=True, fillcolor="white"
    )


def overlay(image, share, number):
    """An opaque panel with a round logo and two lines of text over ``share`` of the area, in a corner."""
    image = image.convert("RGB")
    w, h = image.size
    pw, ph = round(w * np.sqrt(share * 2)), round(h * np.sqrt(share / 2))  # twice as wide as high, relatively
    left, top = [(w - pw, h - ph), (0, h - ph), (w - pw, 0), (0, 0)][number % 4]
    draw = ImageDraw.Draw(image)
    draw.rectangle((left, top, left + pw, top + ph), fill=COLOURS[(number + 1) % len(COLOURS)])
    r = ph * 0.35
    draw.ellipse(
        (left + ph / 2 - r, top + ph / 2 - r, left + ph / 2 + r, top + ph / 2 + r), fill=(255, 140, 0)
    )
    font = ImageFont.load_default(size=max(8, ph // 5))
    draw.text(
        (left + ph, top + ph * 0.2),
        "BEST PRINTS",
        font=font,
        fill="white",
        stroke_width=1,
        stroke_fill="black",
    )
    draw.text((left + ph, top + ph * 0.55), "shop-now.example", font=font, fill="black")
    return image


def screenshot(image, share, number):
    """The picture inside a synthetic web page (header bar, lines of text), ``share`` of the page's area, JPEG."""
    picture = image.convert("RGB")
    scale = 600 / max(picture.size)
    picture = picture.resize(
        (round(picture.width * scale), round(picture.height * scale)), Image.Resampling.LANCZOS
    )
    area = picture.width * picture.height / share
    header, margin = 60, 20
    page_h = max(round(np.sqrt(area * 3 / 4)), picture.height + header + 2 * margin)
    page_w = max(round(area / page_h), picture.width + 2 * margin)
    page = Image.new("RGB", (page_w, page_h), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, page_w, header), fill=COLOURS[number % 2])
    font = ImageFont.load_default(size=14)
    draw.text((margin, 20), "Inspiring pictures | Home  Gallery  Shop  About", font=font, fill="white")
    left = margin if number % 2 else page_w - picture.width - margin
    page.paste(picture, (left, header + margin))
    words = [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "sed",
        "do",
        "eiusmod",
        "tempor",
        "incididunt",
    ]
    text_left = left + picture.width + margin if number % 2 else margin
    text_right = page_w - margin if number % 2 else left - margin
    rng = np.random.default_rng(number)
    for y in range(header + margin, page_h - 20, 22):
        beside = y < header + margin + picture.height
        x0, x1 = (text_left, text_right) if beside else (margin, page_w - margin)
        if x1 - x0 > 60:
            line = " ".join(rng.choice(words, 30))
            draw.text((x0, y), line[: max(1, (x1 - x0) // 7)], font=font, fill=(40, 40, 40))
    return jpeg(page, 75)


def caption(image):
    """A white band with a line of text added under the picture."""
    image = image.convert("RGB")
    w, h = image.size
    band = max(16, h // 8)
    out = Image.new("RGB", (w, h + band), "white")
    out.paste(image, (0, 0))
    font = ImageFont.load_default(size=max(8, band * 6 // 10))
    ImageDraw.Draw(out).text((4, h + band // 6), "Found on the internet, no credit", font=font, fill="black")
    return out


def half(image):
    return image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.Resampling.LANCZOS)


# Today's families (docs/decisions/0004); figures stay comparable with earlier runs.
ALTERATIONS = {
    "half size": lambda im, n: half(im),
    "JPEG quality 40": lambda im, n: jpeg(im, 40),
    "crop 10%, centre": lambda im, n: crop(im, 0.05, 0.05, 0.95, 0.95),
    "crop 10%, corner": lambda im, n: crop(im, 0.1, 0.0, 1.0, 0.9),
    "crop 10%, one side": lambda im, n: crop(im, 0.0, 0.0, 0.9, 1.0),
    "text stamped on": lambda im, n: stamp(im),
    "brightness +20%": lambda im, n: ImageEnhance.Brightness(im).enhance(1.2),
    "brightness -20%": lambda im, n: ImageEnhance.Brightness(im).enhance(0.8),
    "mirrored": lambda im, n: ImageOps.mirror(im),
    "rotated 90 degrees": lambda im, n: im.transpose(Image.Transpose.ROTATE_90),
    "grayscale": lambda im, n: im.convert("L"),
    "contrast +50%": lambda im, n: ImageEnhance.Contrast(im.convert("RGB")).enhance(1.5),
    "blur (Gaussian, 1% of side)": lambda im, n: im.filter(ImageFilter.GaussianBlur(max(im.size) / 100)),
}
# Issue 14: the theft families, at their target ranges.
THEFT = {
    "corner crop 15%": lambda im, n: corner_crop(im, 0.15, n),
    "corner crop 25%": lambda im, n: corner_crop(im, 0.25, n),
    "centre crop keeping 75%": lambda im, n: centre_crop(im, 0.75),
    "centre crop keeping 50%": lambda im, n: centre_crop(im, 0.5),
    "border 8%, colour": lambda im, n: border(im, 0.08, n),
    "border 15%, colour": lambda im, n: border(im, 0.15, n),
    "rotated 3 degrees": lambda im, n: rotate(im, 3, n),
    "rotated 7 degrees": lambda im, n: rotate(im, 7, n),
    "rotated 10 degrees": lambda im, n: rotate(im, 10, n),
    "logo+text panel over 10%": lambda im, n: overlay(im, 0.10, n),
    "logo+text panel over 15%": lambda im, n: overlay(im, 0.15, n),
    "screenshot, 60% of page": lambda im, n: screenshot(im, 0.6, n),
    "screenshot, 40% of page": lambda im, n: screenshot(im, 0.4, n),
    "crop+half+caption+JPEG 40": lambda im, n: jpeg(caption(half(corner_crop(im, 0.15, n))), 40),
    "mirror+crop 25%+border 8%": lambda im, n: border(ImageOps.mirror(corner_crop(im, 0.25, n)), 0.08, n),
    "rotated 7 + panel 10% + JPEG 40": lambda im, n: jpeg(overlay(rotate(im, 7, n), 0.1, n), 40),
}
_rng = np.random.default_rng(20250101)
# Outside the target: cuts of 0-10% from each edge independently, which the windows cover only in part.
EXTRA = {
    "crop 0-10% per edge, random": lambda im, n: crop(
        im, *_rng.uniform(0, 0.1, 2), *(1 - _rng.uniform(0, 0.1, 2))
    )
}
# Issue 14's families combined at the ends of their ranges (the three combinations above take milder settings):
# marked ^, reported apart and left out of "overall", which stays comparable with earlier runs.
LIMITS = {
    "centre 50%+rotated 10+JPEG 40": lambda im, n: jpeg(rotate(centre_crop(im, 0.5), 10, n), 40),
    "crop 25%+border 15%+panel 15%": lambda im, n: overlay(
        border(corner_crop(im, 0.25, n), 0.15, n), 0.15, n
    ),
    "page 40%: rotated 10+panel 15%": lambda im, n: screenshot(overlay(rotate(im, 10, n), 0.15, n), 0.4, n),
}
# What issue 14 asks, family by family (recall >= 0.95 each, today's families >= 0.98), for the summary.
TARGETS = {
    "corner crop 25%": ["corner crop 25%"],
    "centre crop keeping 50% x 50%": ["centre crop keeping 50%"],
    "border 15%": ["border 15%, colour"],
    "rotated 10 degrees": ["rotated 10 degrees"],
    "overlay (panel) over 15%": ["logo+text panel over 15%"],
    "screenshot, 40% of the page": ["screenshot, 40% of page"],
    "combinations (the three +)": [
        "crop+half+caption+JPEG 40",
        "mirror+crop 25%+border 8%",
        "rotated 7 + panel 10% + JPEG 40",
    ],
    "combinations at the limits (^)": list(LIMITS),
}
# (d), an alternative to (c): every candidate, global or local, must verify, except a global hit this close.
TRUSTED = (0, 4, 6)
FAMILIES = {"unaltered": lambda im, n: im, **ALTERATIONS, **THEFT, **LIMITS, **EXTRA}


def fitted(image, long_side):
    image = image.copy()
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return image


def load_pictures(faces=80):
    pictures = {}
    for path in sorted(DATA.iterdir()):
        if path.stem in PICTURES:
            with Image.open(path) as image:
                pictures[path.stem] = image.convert("RGBA" if "A" in image.mode else image.mode)
    for number, face in enumerate(np.load(DATA / "lfw_subset.npy")[:faces]):
        small = Image.fromarray((face * 255).round().astype(np.uint8))
        pictures[f"face {number}"] = small.resize((200, 200), Image.Resampling.BICUBIC)
    return pictures


def load_unseen():
    """The unseen set (see the docstring); their names start with "unseen"."""
    pictures = {f"unseen {name}": Image.fromarray(getattr(pywt.data, name)()) for name in ("aero", "ascent")}
    for number, face in enumerate(np.load(DATA / "lfw_subset.npy")[UNSEEN_FACES:100], start=UNSEEN_FACES):
        small = Image.fromarray((face * 255).round().astype(np.uint8))
        pictures[f"unseen face {number}"] = small.resize((200, 200), Image.Resampling.BICUBIC)
    return pictures


def timing(stored, queries=300):
    rng = np.random.default_rng(stored)
    index = HashIndex()
    index.add(np.arange(stored) // 12, rng.integers(-(2**63), 2**63 - 1, stored))
    probes = rng.integers(-(2**63), 2**63 - 1, (queries, 1))
    index.search(probes[0])
    times = []
    for probe in probes:
        start = time.perf_counter()
        index.search(probe)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    # The floor the issue names: one bare numpy pass over the same 8 bytes a key (XOR and popcount, no search).
    keys = rng.integers(0, 2**63 - 1, stored).astype(np.uint64)
    floor = []
    for probe in probes[:50]:
        start = time.perf_counter()
        np.bitwise_count(keys ^ np.uint64(int(probe[0]) & (2**63 - 1)))
        floor.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times[int(len(times) * 0.95)], times[0], statistics.median(floor)


def kind(name):
    return "unseen" if name.startswith("unseen ") else "faces" if name.startswith("face ") else "skimage"


def recall(distances, threshold=NEAR_DISTANCE):
    return sum(d <= threshold for d in distances) / len(distances)


class LocalStore:
    """Stored local features and their candidate keys, searched as the pipeline would: every probe against
    every stored key (what HashIndex.search with row ids does), key matches counted per picture."""

    def __init__(self):
        self.features, self.keys, self.owners = [], [], []

    def add(self, features):
        keys = local.candidate_keys(features)
        self.keys.extend(keys)
        self.owners.extend([len(self.features)] * len(keys))
        self.features.append(features)
        return keys

    def key_matches(self, probes):
        """Per stored picture, how many of its keys lie within KEY_DISTANCE of some probe."""
        keys = np.asarray(self.keys, dtype=np.int64).view(np.uint64)
        wanted = np.asarray(probes, dtype=np.int64).view(np.uint64)
        if not len(wanted) or not len(keys):
            return np.zeros(len(self.features), dtype=np.int64)
        near = np.bitwise_count(keys[:, None] ^ wanted[None, :]).min(axis=1) <= local.KEY_DISTANCE
        return np.bincount(np.asarray(self.owners)[near], minlength=len(self.features))


def local_search(store, query, verify_times):
    """(candidates, verified) picture numbers for one query, as the full scheme would find them."""
    counts = store.key_matches(query.probes)
    candidates = {int(i) for i in np.flatnonzero(counts) if local.is_candidate(int(counts[i]))}
    verified = set()
    for number in candidates:
        start = time.process_time()
        if local.verify(query, store.features[number]) is not None:
            verified.add(number)
        verify_times.append((time.process_time() - start) * 1000)
    return candidates, verified, counts


def quadrant_pairs(pictures):
    """Mirror-image quadrants: for every picture, its four quadrants stored as unrelated pictures and every pair
    of them compared (today's canonical keys make a quadrant and its mirror image equal)."""
    global_hits = local_hits = pairs = 0
    where = set()
    for name, image in pictures.items():
        quads = [crop(image, x, y, x + 0.5, y + 0.5) for y in (0, 0.5) for x in (0, 0.5)]
        prints = [fingerprint(fitted(q, THUMBNAIL)) for q in quads]
        features = [local.extract(fitted(q, PREVIEW)) for q in quads]
        queries = [local.extract_query(fitted(q, PREVIEW)) for q in quads]
        for a in range(4):
            for b in range(a + 1, 4):
                pairs += 1
                dist = min(
                    bin((p ^ k) & (2**64 - 1)).count("1") for p in prints[a].probes for k in prints[b].keys
                ) if prints[a].probes and prints[b].keys else 64  # fmt: skip
                global_hits += dist <= NEAR_DISTANCE
                found = local.verify(queries[a], features[b])
                local_hits += found is not None
                if found is not None:
                    where.add(f"{name}{' (mirrored)' if found.mirrored else ''}")
    return pairs, global_hits, local_hits, sorted(where)


def targets(own, compared, compared_seen, false_all, false_seen):
    """Issue 14's target, family by family: full-scheme recall (c) per set and over all pictures."""
    sets = ("skimage", "faces", "unseen")
    print("\nIssue 14 targets, full scheme (c) (recall >= 0.95 per family, today's families >= 0.98; a row of"
          " several families gives their lowest; met or not by the column all):")  # fmt: skip
    print(f"  {'family':<34} {'skimage':>8} {'faces':>6} {'unseen':>7} {'all':>6}")

    def rates(family):
        rows = own[family]
        per_set = [np.mean([r[2] for r in rows[k]]) for k in sets]
        return [*per_set, np.mean([r[2] for k in sets for r in rows[k]])]

    today = ["unaltered", *ALTERATIONS]
    for label, families in [*TARGETS.items(), ("today's families (lowest of 14)", today)]:
        lowest = np.min([rates(family) for family in families], axis=0)
        goal = 0.98 if families is today else 0.95
        below = [k for k, rate in zip(sets, lowest, strict=False) if rate < goal]
        verdict = ("met" if lowest[3] >= goal else "NOT met") + (
            f"; below in {', '.join(below)}" if below else ""
        )
        print(
            f"  {label:<34} {lowest[0]:>8.3f} {lowest[1]:>6.3f} {lowest[2]:>7.3f} {lowest[3]:>6.3f}  {verdict}"
        )
    print(f"  false matches, full scheme: {false_seen / compared_seen:.4%} of the tuned sets' pairs, {false_all / compared:.4%}"
          " with the unseen set (target <= 0.1%, ambition 0.01%)")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="30 faces (not 80), no query-time section")
    args = parser.parse_args()
    started = time.perf_counter()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    if not args.quick:
        print(
            f"Query time, one core, 1 probe per query, random stored keys (load average {load} on {os.cpu_count()} CPUs):"
        )
        for stored in (100_000, 1_000_000):
            median, p95, fastest, floor = timing(stored)
            print(
                f"  {stored:>9,} stored keys: median {median:.2f} ms, p95 {p95:.2f} ms, fastest {fastest:.2f} ms"
                f" (a bare numpy XOR + popcount of the same keys, no search: {floor:.2f} ms)"
            )

    pictures = load_pictures(30 if args.quick else UNSEEN_FACES) | load_unseen()
    names = list(pictures)
    index, store = HashIndex(), LocalStore()
    keys_per_picture, local_keys, blob_bytes, extract_ms = [], [], [], []
    for number, name in enumerate(names):
        keys = fingerprint(fitted(pictures[name], THUMBNAIL)).keys
        index.add([number] * len(keys), keys)
        keys_per_picture.append(len(keys))
        preview = fitted(pictures[name], PREVIEW)
        start = time.process_time()
        features = local.extract(preview)
        extract_ms.append((time.process_time() - start) * 1000)
        local_keys.append(len(store.add(features)))
        blob_bytes.append(len(features.to_bytes()))

    # family -> kind -> list of (global distance, local candidate, full scheme hit, verify alone)
    own, verify_ms, query_ms, probe_counts, parts = {}, [], [], [], []
    own_counts, other_counts = (
        [],
        [],
    )  # keys within KEY_DISTANCE: query vs its original / vs unrelated pictures
    thresholds = (NEAR_DISTANCE - 2, NEAR_DISTANCE, NEAR_DISTANCE + 2)
    pairs, hits = (
        {},
        {},
    )  # (query kind, stored kind) -> pairs compared / (.., threshold) -> false matches (global)
    false = {"global": 0, "candidates": 0, "full": 0, "verified": 0, **dict.fromkeys(TRUSTED, 0)}
    false_pairs, compared, compared_seen = [], 0, 0
    today = {"unaltered", *ALTERATIONS, *EXTRA}
    for number, name in enumerate(names):
        for family, alter in FAMILIES.items():
            altered = alter(pictures[name], number)
            probes = fingerprint(fitted(altered, THUMBNAIL)).probes
            best = dict(index.search(probes, max_distance=64, limit=len(names)))
            start = time.process_time()
            query = local.extract_query(fitted(altered, PREVIEW))
            query_ms.append((time.process_time() - start) * 1000)
            probe_counts.append(len(query.probes))
            parts.append(query.part is not None)
            candidates, verified, counts = local_search(store, query, verify_ms)
            own_counts.append(int(counts[number]))
            other_counts.extend(int(c) for i, c in enumerate(counts) if i != number)
            alone = number in verified or local.verify(query, store.features[number]) is not None
            # (d): global hits verified as well, the closest accepted without it (see TRUSTED)
            checked = verified | {
                i
                for i, d in best.items()
                if d <= NEAR_DISTANCE and i not in candidates and local.verify(query, store.features[i])
            }
            hit = best.get(number, 64)
            own.setdefault(family, {}).setdefault(kind(name), []).append(
                (
                    hit,
                    number in candidates,
                    hit <= NEAR_DISTANCE or number in verified,
                    alone,
                    number in checked,
                )
            )
            for other, other_name in enumerate(names):
                if other == number:
                    continue
                compared += 1
                compared_seen += "unseen" not in (kind(name), kind(other_name))
                glob = best.get(other, 64) <= NEAR_DISTANCE
                false["global"] += glob
                false["candidates"] += other in candidates
                false["verified"] += other in verified
                false["full"] += glob or other in verified
                for trusted in TRUSTED:
                    false[trusted] += other in checked or best.get(other, 64) <= trusted
                if glob or other in verified:
                    false_pairs.append((family, name, other_name, "global" if glob else "local"))
                if family in today:
                    pair = tuple(sorted((kind(name), kind(other_name))))
                    pairs[pair] = pairs.get(pair, 0) + 1
                    for threshold in thresholds:
                        found = best.get(other, 64) <= threshold
                        hits[pair, threshold] = hits.get((pair, threshold), 0) + found

    count = {k: sum(kind(n) == k for n in names) for k in ("skimage", "faces", "unseen")}
    print(
        f"\nRecall ({count['skimage']} skimage pictures, {count['faces']} LFW faces): (a) global keys at"
        f" <= {NEAR_DISTANCE}; (b) local candidates alone (>= {local.CANDIDATE_MATCHES} keys within"
        f" {local.KEY_DISTANCE}); (c) full: (a) OR verified (b); (d) verified (a) or (b), or global"
        f" distance <= {TRUSTED[1]}; verify: verify() alone against the original"
    )
    heads = " ".join(f"{f'({c}) skim':>8} {'faces':>6}" for c in "abcd")
    print(f"  {'family':<34} {heads} {'verify':>7}")
    columns = {k: [] for k in ("a", "b", "c", "d", "v")}
    for family in FAMILIES:
        row = []
        for column, pick in (
            ("a", lambda r: r[0] <= NEAR_DISTANCE),
            ("b", lambda r: r[1]),
            ("c", lambda r: r[2]),
            ("d", lambda r: r[4] or r[0] <= TRUSTED[1]),
        ):
            for k in ("skimage", "faces"):
                values = [pick(r) for r in own[family][k]]
                row.append(f"{np.mean(values):>{8 if k == 'skimage' else 6}.3f}")
                if family != "unaltered" and family not in EXTRA and family not in LIMITS:
                    columns[column].extend(values)
        alone = [r[3] for k in ("skimage", "faces") for r in own[family][k]]
        if family not in LIMITS:
            columns["v"].extend(alone)
        mark = " *" if family in EXTRA else " +" if family in THEFT else " ^" if family in LIMITS else ""
        print(f"  {family + mark:<34} {' '.join(row)} {np.mean(alone):>7.3f}")
    print(f"  {'overall':<34} " + "  ".join(f"({c}) {np.mean(columns[c]):.3f}" for c in "abcdv"))
    print("  + issue 14 families; * not in the target: cuts the crop windows do not line up with")
    print("  ^ issue 14 families combined at the ends of their ranges (not in overall)")

    print(f"\nUnseen set ({count['unseen']} pictures no parameter was tuned on: LFW faces {UNSEEN_FACES}-99, aero,"
          " ascent): (a) global, (b) candidates, (c) full, verify alone")  # fmt: skip
    unseen = {k: [] for k in "abcv"}
    for family in FAMILIES:
        rows = own[family]["unseen"]
        values = {
            "a": [r[0] <= NEAR_DISTANCE for r in rows],
            "b": [r[1] for r in rows],
            "c": [r[2] for r in rows],
            "v": [r[3] for r in rows],
        }
        if family != "unaltered" and family not in EXTRA and family not in LIMITS:
            for column, picked in values.items():
                unseen[column].extend(picked)
        mark = " *" if family in EXTRA else " +" if family in THEFT else " ^" if family in LIMITS else ""
        print(f"  {family + mark:<34} " + " ".join(f"{np.mean(v):>6.3f}" for v in values.values()))
    print(f"  {'overall':<34} " + "  ".join(f"({c}) {np.mean(unseen[c]):.3f}" for c in "abcv"))

    print(f"\nFalse matches: {len(names)} pictures x {len(FAMILIES)} families = {len(names) * len(FAMILIES)} queries,"
          f" each against every other stored picture ({compared:,} unrelated pairs):")  # fmt: skip
    for scheme in ("global", "candidates", "verified", "full", *TRUSTED):
        label = f"(d) at {scheme}" if scheme in TRUSTED else scheme
        print(f"  {label:<11} {false[scheme]:>6} = {false[scheme] / compared:.4%}")
    by_kind = {}
    for _, name, other, _ in false_pairs:
        pair = "-".join(sorted((kind(name), kind(other))))
        by_kind[pair] = by_kind.get(pair, 0) + 1
    print("  full, by the pictures' sets: " + ", ".join(f"{pair} {n}" for pair, n in sorted(by_kind.items())))
    seen = [pair for pair in false_pairs if "unseen" not in (kind(pair[1]), kind(pair[2]))]
    print(
        f"  full, pairs without an unseen picture: {len(seen)} = {len(seen) / compared_seen:.4%} of {compared_seen:,}"
    )
    for family, name, other, by in false_pairs[:15]:
        print(f"    {by:<6} {family}: {name} ~ {other}")
    tail = np.percentile(other_counts, [99, 99.9, 99.99])
    print(f"  keys matched per pair (the candidate score): unrelated pairs p99 {tail[0]:.0f}, p99.9 {tail[1]:.0f},"
          f" p99.99 {tail[2]:.0f}, max {max(other_counts)}; query vs its original: median"
          f" {statistics.median(own_counts):.0f}, share >= 2/3/4/6: "
          + "/".join(f"{np.mean(np.array(own_counts) >= k):.3f}" for k in (2, 3, 4, 6))
          + ", unrelated >= 2/3/4/6: "
          + "/".join(f"{np.mean(np.array(other_counts) >= k):.5f}" for k in (2, 3, 4, 6)))  # fmt: skip
    queries_today = sum(pairs.values())
    print(f"  Global keys over today's query set only ({queries_today:,} pairs, comparable with 0004):")
    for threshold in thresholds:
        found = sum(hits[pair, threshold] for pair in pairs)
        split = ", ".join(f"{a}-{b} {hits[(a, b), threshold]}/{pairs[a, b]:,}" for a, b in sorted(pairs))
        mark = "  <- NEAR_DISTANCE" if threshold == NEAR_DISTANCE else ""
        print(f"    <= {threshold:>2}: {found:>4} = {found / queries_today:.4%} ({split}){mark}")

    targets(
        own,
        compared,
        compared_seen,
        false["full"],
        len([p for p in false_pairs if "unseen" not in (kind(p[1]), kind(p[2]))]),
    )

    quads, quad_global, quad_local, quad_where = quadrant_pairs(pictures)
    print(f"\nQuadrants of one picture (mirror images of each other in symmetric pictures): {quads} pairs;"
          f" global keys match {quad_global} ({quad_global / quads:.1%}), verified local {quad_local} ({quad_local / quads:.1%})")  # fmt: skip
    print(f"  verified local in: {', '.join(quad_where)}")

    p95 = sorted(verify_ms)[int(len(verify_ms) * 0.95)]
    print("\nCost per picture (CPU time of this process, cv2 threads 1: other load does not inflate it):")
    print(
        f"  extract from the preview: median {statistics.median(extract_ms):.1f} ms (max {max(extract_ms):.1f})"
    )
    print(f"  query (extract_query: {local.QUERY_KEYPOINTS} keypoints + probes at {local.QUERY_SIDES} px, and the"
          f" picture on a page in {np.mean(parts):.0%} of queries): median {statistics.median(query_ms):.1f} ms"
          f" (max {max(query_ms):.1f})")  # fmt: skip
    print(f"  verify per candidate (mirror tried when upright fails): median {statistics.median(verify_ms):.1f} ms,"
          f" p95 {p95:.1f} ms, {len(verify_ms)} calls")  # fmt: skip
    print(f"  blob: mean {statistics.mean(blob_bytes):,.0f} bytes (max {max(blob_bytes):,}); local keys stored: mean"
          f" {statistics.mean(local_keys):.1f} (max {max(local_keys)}); probes per query: mean {statistics.mean(probe_counts):.0f}"
          f" (max {max(probe_counts)})")  # fmt: skip
    mean_keys = statistics.mean(keys_per_picture)
    print(
        f"Global keys stored per picture: mean {mean_keys:.1f}, min {min(keys_per_picture)}, max {max(keys_per_picture)}"
    )
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
