"""COM-4 mockups: seconds per mockup variant, beside the bare minimum of Pillow work. Run: uv run --offline python bench/mockups.py [--runs 7]

Every product template in two colours (10 variants), from one 2,000 x 2,000 px RGBA picture placed as a creator
would: filling the width of the print area (on the mug, the 85 mm front of the 200 mm wrap). Each variant is
rendered once cold (its template drawn and cached: the first mockup of a product in a colour in a worker) and
then --runs times warm; the medians are of the warm runs, the cold times are shown apart.

The bare baseline, measured in the same run and interleaved with the mockups so that a busy neighbour on this
shared machine slows both alike: ``picture.resize((1200, 1200))`` and ``Image.alpha_composite`` onto a canvas of
the same size, that is, what placing the picture on a product costs with nothing drawn, bent or lit.
The issue's target: under 1 s per variant on this machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from inspiracle.shop.art import TEMPLATE_KEYS, default_print_areas  # noqa: E402
from inspiracle.shop.mockups import Placement, render_mockup  # noqa: E402

COLOURS = ("#ffffff", "#1f2a44")
SIDE = 2000
TARGET_SECONDS = 1.0


def picture(seed: int = 4) -> Image.Image:
    """Gradients, soft shapes and noise, like a photo or a painting: a flat colour would flatter the resampling."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:250, 0:250].astype(np.float32) / 250
    base = np.stack(
        [
            120 + 90 * np.sin(3.1 * x + 1.3 * y),
            110 + 80 * np.sin(2.3 * y - 1.7 * x),
            160 + 70 * np.cos(4.2 * x * y),
        ],
        axis=-1,
    )
    base += rng.normal(0, 14, base.shape).astype(np.float32)
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).resize(
        (SIDE, SIDE), Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        left, top = (int(v) for v in rng.integers(0, SIDE, 2))
        size = int(rng.integers(SIDE // 40, SIDE // 6))
        draw.ellipse(
            (left, top, left + size, top + size), fill=tuple(int(v) for v in rng.integers(0, 255, 3))
        )
    return image.filter(ImageFilter.GaussianBlur(1.5)).convert("RGBA")


def placement_for(template: str) -> Placement:
    """The square picture as large as fits the area: the full width, or the full height where that is less."""
    area = default_print_areas(template)[0]
    return Placement(x=0.5, y=0.5, scale=min(1.0, area.height_mm / area.width_mm))


def bare(image: Image.Image, canvas: Image.Image) -> float:
    start = time.perf_counter()
    Image.alpha_composite(canvas, image.resize((1200, 1200)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    image = picture()
    canvas = Image.new("RGBA", (1200, 1200), (240, 240, 240, 255))
    variants = [(template, colour) for template in TEMPLATE_KEYS for colour in COLOURS]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{len(variants)} variants from a {SIDE} x {SIDE} px RGBA picture, {runs} warm runs each")
    print(
        f"(load average {load} on {os.cpu_count()} CPUs; Pillow {Image.__version__}, numpy {np.__version__})"
    )

    cold, warm, baseline = {}, {variant: [] for variant in variants}, []
    for variant in variants:
        start = time.perf_counter()
        area = default_print_areas(variant[0])[0]
        render_mockup(
            picture=image,
            template=variant[0],
            colour=variant[1],
            area=area,
            placement=placement_for(variant[0]),
        )
        cold[variant] = time.perf_counter() - start
    for _ in range(runs):
        for template, colour in variants:
            area = default_print_areas(template)[0]
            start = time.perf_counter()
            render_mockup(
                picture=image, template=template, colour=colour, area=area, placement=placement_for(template)
            )
            warm[template, colour].append(time.perf_counter() - start)
            baseline.append(bare(image, canvas))

    print(f"\n  {'template':<15} {'colour':<8} {'median warm':>12} {'cold (drawing)':>15}")
    for template, colour in variants:
        median = statistics.median(warm[template, colour])
        print(f"  {template:<15} {colour:<8} {median:>10.3f} s {cold[template, colour]:>13.3f} s")
    every = [seconds for times in warm.values() for seconds in times]
    median, slowest = statistics.median(every), max(statistics.median(times) for times in warm.values())
    floor = statistics.median(baseline)
    print(f"\nMedian per variant (warm): {median:.3f} s; slowest variant's median {slowest:.3f} s")
    print(f"Bare baseline, resize((1200, 1200)) + alpha_composite, same run: {floor:.3f} s")
    print(f"Ratio: {median / floor:.1f}x the baseline (slowest variant {slowest / floor:.1f}x)")
    verdict = "met" if slowest < TARGET_SECONDS else "NOT met"
    print(
        f"Target under {TARGET_SECONDS:.0f} s per variant: {verdict} (cold, drawing included: at most {max(cold.values()):.3f} s)"
    )


if __name__ == "__main__":
    main()
