"""WRK-9 near-duplicate search: query time, recall and false matches. Run: uv run --offline python bench/similarity.py

Query time: HashIndex.search with one probe against 100,000 and 1,000,000 random stored keys, on one core
(numpy's bitwise ufuncs are single-threaded; OMP_NUM_THREADS=1 is set anyway).

Recall and false matches: the pictures bundled inside scikit-image (nothing is downloaded) plus the 100 LFW
faces of skimage's lfw_subset.npy (25 x 25 px, enlarged to 200 px). motorcycle_right is left out: it is the
other half of a stereo pair with motorcycle_left, a near-duplicate of it. Each picture is stored; each altered
copy is searched; like the pipeline, both sides are hashed from a thumbnail of at most 400 px.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import skimage.data  # noqa: E402
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageOps  # noqa: E402

from inspiracle.similarity.hashing import fingerprint  # noqa: E402
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex  # noqa: E402

DATA = Path(skimage.data.__file__).parent
PICTURES = [
    "astronaut", "brick", "camera", "cell", "chelsea", "clock_motion", "coffee", "coins", "color", "grass",
    "gravel", "horse", "hubble_deep_field", "ihc", "logo", "microaneurysms", "moon", "motorcycle_left", "page",
    "phantom", "retina", "rocket", "text",
]  # fmt: skip
THUMBNAIL = 400  # pipeline/imaging.py: the hash image is the clean 400 px thumbnail


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


ALTERATIONS = {
    "half size": lambda im: im.resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS),
    "JPEG quality 40": lambda im: jpeg(im, 40),
    "crop 10%, centre": lambda im: crop(im, 0.05, 0.05, 0.95, 0.95),
    "crop 10%, corner": lambda im: crop(im, 0.1, 0.0, 1.0, 0.9),
    "crop 10%, one side": lambda im: crop(im, 0.0, 0.0, 0.9, 1.0),
    "text stamped on": stamp,
    "brightness +20%": lambda im: ImageEnhance.Brightness(im).enhance(1.2),
    "brightness -20%": lambda im: ImageEnhance.Brightness(im).enhance(0.8),
    "mirrored": ImageOps.mirror,
    "rotated 90 degrees": lambda im: im.transpose(Image.Transpose.ROTATE_90),
}
_rng = np.random.default_rng(20250101)
# Outside the target: cuts of 0-10% from each edge independently, which the windows cover only in part.
EXTRA = {
    "crop 0-10% per edge, random": lambda im: crop(
        im, *_rng.uniform(0, 0.1, 2), *(1 - _rng.uniform(0, 0.1, 2))
    )
}


def thumbnail(image):
    image = image.copy()
    image.thumbnail((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS)
    return image


def load_pictures():
    pictures = {}
    for path in sorted(DATA.iterdir()):
        if path.stem in PICTURES:
            with Image.open(path) as image:
                pictures[path.stem] = image.convert("RGBA" if "A" in image.mode else image.mode)
    faces = np.load(DATA / "lfw_subset.npy")[:100]
    for number, face in enumerate(faces):
        small = Image.fromarray((face * 255).round().astype(np.uint8))
        pictures[f"face {number}"] = small.resize((200, 200), Image.Resampling.BICUBIC)
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
    return "faces" if name.startswith("face ") else "skimage"


def recall(distances, threshold=NEAR_DISTANCE):
    return sum(d <= threshold for d in distances) / len(distances)


def main():
    started = time.perf_counter()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"Query time, one core, 1 probe per query, random stored keys (load average {load} on {os.cpu_count()} CPUs):"
    )
    for stored in (100_000, 1_000_000):
        median, p95, fastest, floor = timing(stored)
        print(
            f"  {stored:>9,} stored keys: median {median:.2f} ms, p95 {p95:.2f} ms, fastest {fastest:.2f} ms"
            f" (a bare numpy XOR + popcount of the same keys, no search: {floor:.2f} ms)"
        )

    pictures = load_pictures()
    names = list(pictures)
    index = HashIndex()
    keys_per_picture = []
    for number, name in enumerate(names):
        keys = fingerprint(thumbnail(pictures[name])).keys
        index.add([number] * len(keys), keys)
        keys_per_picture.append(len(keys))

    own = {}  # alteration -> kind -> distances from each altered copy to its own original
    probes_used = []
    thresholds = (NEAR_DISTANCE - 2, NEAR_DISTANCE, NEAR_DISTANCE + 2)
    pairs, hits = {}, {}  # (query kind, stored kind) -> pairs compared / (.., threshold) -> false matches
    for number, name in enumerate(names):
        for alteration, alter in [("unaltered", lambda im: im), *ALTERATIONS.items(), *EXTRA.items()]:
            probes = fingerprint(thumbnail(alter(pictures[name]))).probes
            probes_used.append(len(probes))
            best = dict(index.search(probes, max_distance=64, limit=len(names)))
            own.setdefault(alteration, {}).setdefault(kind(name), []).append(best.get(number, 64))
            for other, other_name in enumerate(names):
                if other != number:
                    pair = tuple(sorted((kind(name), kind(other_name))))
                    pairs[pair] = pairs.get(pair, 0) + 1
                    for threshold in thresholds:
                        found = best.get(other, 64) <= threshold
                        hits[pair, threshold] = hits.get((pair, threshold), 0) + found

    count = {k: sum(kind(n) == k for n in names) for k in ("skimage", "faces")}
    print(
        f"\nRecall at distance <= {NEAR_DISTANCE} ({count['skimage']} skimage pictures, {count['faces']} LFW faces):"
    )
    print(f"  {'alteration':<32} {'skimage':>8} {'faces':>8}")
    for alteration in ALTERATIONS:
        print(
            f"  {alteration:<32} {recall(own[alteration]['skimage']):>8.3f} {recall(own[alteration]['faces']):>8.3f}"
        )
    target = {k: [d for a in ALTERATIONS for d in own[a][k]] for k in count}
    both = target["skimage"] + target["faces"]
    overall = f"{recall(target['skimage']):>8.3f} {recall(target['faces']):>8.3f}   both: {recall(both):.3f}"
    print(f"  {'overall (the 10 rows above)':<32} {overall}")
    for alteration in EXTRA:
        print(
            f"  {alteration + ' *':<32} {recall(own[alteration]['skimage']):>8.3f} {recall(own[alteration]['faces']):>8.3f}"
        )
    print("  * not in the target: cuts the crop windows do not line up with")

    queries = len(names) * (1 + len(ALTERATIONS) + len(EXTRA))
    total = sum(pairs.values())
    print(
        f"\nFalse matches: each of {queries} queries (every picture unaltered and altered) against every other picture"
    )
    for threshold in thresholds:
        false = sum(hits[pair, threshold] for pair in pairs)
        split = ", ".join(f"{a}-{b} {hits[(a, b), threshold]}/{pairs[a, b]:,}" for a, b in sorted(pairs))
        mark = "  <- NEAR_DISTANCE" if threshold == NEAR_DISTANCE else ""
        print(
            f"  <= {threshold:>2}: {false:>4} of {total:,} pairs = {false / total:.4%} ({split}); overall recall {recall(both, threshold):.3f}{mark}"
        )

    mean_keys = statistics.mean(keys_per_picture)
    print(
        f"\nThreshold: NEAR_DISTANCE = {NEAR_DISTANCE} of 64 bits (distances are even: 10 and 11 are the same)"
    )
    print(f"Keys stored per picture: mean {mean_keys:.1f}, min {min(keys_per_picture)}, max {max(keys_per_picture)}"
          f" -> 1,000,000 stored keys hold about {1_000_000 / mean_keys:,.0f} pictures")  # fmt: skip
    print(f"Probes per query: {min(probes_used)} to {max(probes_used)}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
