"""The bare minimum of image work, done with Pillow directly, beside the same work done by pipeline/imaging.py.

"The bare minimum" is decode (with draft() for a JPEG, the fair minimum), resize to the preview and then to
the thumbnail, WebP encoding of both, SHA-256 of the file and pHash + dHash of the 400 px image. It uses the
resampling filters and WebP settings of imaging.py, so the difference between the two is what imaging.py adds
(orientation, colour conversion, the watermark, metadata stripping, AI labels), not a different encoder effort.

bench/pipeline.py extends this with the whole pipeline. As a script:

    uv run python bench/pipeline_baseline.py [--runs 7]

prints, per input, the median milliseconds of each step and images per second per core (one process, one
thread: libjpeg, Pillow's resize and libwebp all run on the calling thread here, so CPU time is core time).
"""

import argparse
import hashlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from inspiracle.pipeline import imaging, provenance

MAX_PIXELS = 50_000_000


def photo_like(width: int, height: int, *, seed: int) -> Image.Image:
    """Smooth gradients, soft-edged shapes and sensor-like noise: a flat colour would flatter every codec."""
    rng = np.random.default_rng(seed)
    small_w, small_h = width // 8, height // 8
    y, x = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    x, y = x / small_w, y / small_h
    base = np.stack(
        [
            120 + 90 * np.sin(3.1 * x + 1.3 * y) + 30 * np.cos(7 * y),
            110 + 80 * np.sin(2.3 * y - 1.7 * x + 0.5),
            100 + 70 * np.cos(4.2 * x * y + 2 * x),
        ],
        axis=-1,
    )
    base += rng.normal(0, 18, base.shape).astype(np.float32)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        left, top = int(rng.integers(0, width)), int(rng.integers(0, height))
        size = int(rng.integers(width // 40, width // 6))
        draw.ellipse(
            (left, top, left + size, top + size * 0.7), fill=tuple(int(v) for v in rng.integers(0, 255, 3))
        )
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    noise = rng.standard_normal((height, width, 3), dtype=np.float32) * 3
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.float32) + noise, 0, 255).astype(np.uint8))


def make_inputs(tmpdir: Path | str) -> dict[str, Path]:
    """A 12-megapixel camera-like JPEG (4000 x 3000, quality 90) and a 2000 x 2000 PNG."""
    tmpdir = Path(tmpdir)
    inputs = {"jpeg_12mp": tmpdir / "photo_12mp.jpg", "png_4mp": tmpdir / "picture_4mp.png"}
    photo_like(4000, 3000, seed=1).save(inputs["jpeg_12mp"], quality=90)
    photo_like(2000, 2000, seed=2).save(inputs["png_4mp"])
    return inputs


class Timer:
    """Wall-clock milliseconds per step, plus "total" and "cpu" (this process's CPU time for the whole run,
    which a busy neighbour on a shared machine disturbs far less than the wall clock)."""

    def __init__(self):
        self.ms: dict[str, float] = {}
        self._cpu = time.process_time()
        self._last = self._start = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.ms[step] = (now - self._last) * 1000
        self._last = now

    def done(self) -> dict[str, float]:
        self.ms["total"] = (self._last - self._start) * 1000
        self.ms["cpu"] = (time.process_time() - self._cpu) * 1000
        return self.ms


def bare_minimum(path: Path) -> dict[str, float]:
    """Milliseconds per step of the bare minimum done with Pillow directly."""
    timer = Timer()
    image = Image.open(path)
    if image.format == "JPEG":
        scale = max(image.size) / imaging.PREVIEW_LONG_SIDE
        image.draft(None, (int(image.width / scale), int(image.height / scale)))
    image.load()
    timer.lap("decode")
    preview = image.resize(
        _fit(image.size, imaging.PREVIEW_LONG_SIDE),
        imaging.PREVIEW_RESAMPLE,
        reducing_gap=imaging.REDUCING_GAP,
    )
    timer.lap("resize_preview")
    thumbnail = preview.resize(
        _fit(preview.size, imaging.THUMBNAIL_LONG_SIDE),
        imaging.THUMBNAIL_RESAMPLE,
        reducing_gap=imaging.REDUCING_GAP,
    )
    timer.lap("resize_thumbnail")
    preview.save(io.BytesIO(), "WEBP", **imaging.WEBP)
    timer.lap("webp_preview")
    thumbnail.save(io.BytesIO(), "WEBP", **imaging.WEBP)
    timer.lap("webp_thumbnail")
    with open(path, "rb") as file:
        hashlib.file_digest(file, "sha256")
    timer.lap("sha256")
    imagehash.phash(thumbnail), imagehash.dhash(thumbnail)
    timer.lap("phash_dhash")
    return timer.done()


def our_steps(path: Path) -> dict[str, float]:
    """Milliseconds per step of imaging.py on the same file."""
    timer = Timer()
    image = imaging.decode(path, max_pixels=MAX_PIXELS)
    timer.lap("decode")
    imaging.make_derivatives(image, watermark="Inspiracle · @ana")
    timer.lap("derivatives")
    provenance.read_ai_labels(path)
    timer.lap("ai_labels")
    return timer.done()


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    scale = min(1, long_side / max(size))
    return round(size[0] * scale), round(size[1] * scale)


def _median(samples: list[dict[str, float]]) -> dict[str, float]:
    return {step: statistics.median(sample[step] for sample in samples) for step in samples[0]}


def compare(path: Path, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Both measurements, interleaved run by run so that a busy neighbour slows both alike."""
    bare_minimum(path), our_steps(path)  # warm up: fonts, codecs, page cache
    bare, ours = [], []
    for _ in range(runs):
        bare.append(bare_minimum(path))
        ours.append(our_steps(path))
    return _median(bare), _median(ours)


def report(name: str, path: Path, bare: dict[str, float], ours: dict[str, float], runs: int) -> str:
    with Image.open(path) as image:
        described = f"{image.width} x {image.height} {image.format}, {path.stat().st_size / 1e6:.1f} MB"
    lines = [f"{name}: {described}; median of {runs} runs, ms"]
    for title, timings in (("bare minimum (Pillow directly)", bare), ("imaging.py", ours)):
        lines.append(f"  {title}")
        lines += [f"    {step:<18}{ms:8.1f}" for step, ms in timings.items()]
        lines.append(f"    {'images/s per core':<18}{1000 / timings['cpu']:8.2f}  (1000 / cpu ms)")
    # imaging.py does not hash; its CPU share of the bare run is taken in proportion to the wall time.
    image_work = bare["total"] - bare["sha256"] - bare["phash_dhash"]
    lines.append(
        f"  imaging.py / the same image work done bare (decode, resizes, WebP): {ours['total'] / image_work:.2f}x"
        f" wall, {ours['cpu'] / (bare['cpu'] * image_work / bare['total']):.2f}x cpu"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args(argv).runs
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, path in make_inputs(tmpdir).items():
            bare, ours = compare(path, runs)
            print(report(name, path, bare, ours, runs), flush=True)
    print(f"Pillow {Image.__version__}, WebP {imaging.WEBP}, {sys.platform}")


if __name__ == "__main__":
    main()
