"""The shop list page and endpoint against a bare template view, in requests per second (issue 12).

Run: uv run --offline python bench/shop.py [--products 300] [--seconds 4] [--rounds 3]

In a temporary data folder: migrate, load the demo data, collect the static files, add ``--products`` approved products (copies of the demo
ones, each with its mockups), then run gunicorn with 2 sync workers on a free port and drive, interleaved for
``--rounds`` rounds, each URL for ``--seconds`` seconds from 4 client threads: a bare view rendering the site's
base template (no query), the shop page, a filtered shop page and GET /api/shop/products. Prints req/s per URL
and its ratio to the bare view in the same round (this machine is shared and noisy: only ratios compare).
Target: each shop URL within 2x the bare view. Only the standard library talks HTTP.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URLS = {
    "bare template": "/bench/bare/",
    "shop page": "/shop/",
    "shop page, filtered": "/shop/?type=tshirt&min=10&max=500",
    "GET /api/shop/products": "/api/shop/products",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


SEED = """
from inspiracle.shop.models import Mockup, Product
originals = list(Product.objects.filter(status="approved").prefetch_related("variants", "mockups"))
for n in range({count}):
    source = originals[n % len(originals)]
    variants, mockups = list(source.variants.all()), list(source.mockups.all())
    source.pk, source.id, source.reference = None, None, f"PBENCH{{n:06d}}"
    source.title = f"Bench product {{n}}"
    source.save()
    source.variants.set(variants)
    Mockup.objects.bulk_create(
        Mockup(product=source, colour=m.colour, status=m.status, name=m.name, rendered_at=m.rendered_at)
        for m in mockups
    )
print(Product.objects.filter(status="approved").count(), "approved products")
"""


def drive(base: str, path: str, seconds: float, threads: int = 4) -> float:
    done = [0] * threads
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        while time.monotonic() < stop:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                assert response.status == 200, (path, response.status)
            done[slot] += 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-shop-") as data:
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")},
            "INSPIRACLE_DATA_DIR": data,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED.format(count=options.products)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "bench.shop_wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(base + URLS["bare template"], timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.5)
            for path in URLS.values():  # warm both workers' caches
                drive(base, path, 1.0)
            results: dict[str, list[float]] = {name: [] for name in URLS}
            for round_ in range(options.rounds):
                for name, path in URLS.items():
                    results[name].append(drive(base, path, options.seconds))
                print(f"round {round_ + 1}: " + ", ".join(f"{n} {r[-1]:.0f}/s" for n, r in results.items()))
        finally:
            server.terminate()
            server.wait(timeout=30)
    bare = results["bare template"]
    print(f"\n{'URL':28} {'req/s (median)':>15} {'x slower than bare (per round)':>32}")
    for name, rates in results.items():
        ratios = [b / r for b, r in zip(bare, rates, strict=True)]
        print(f"{name:28} {statistics.median(rates):15.0f} {', '.join(f'{x:.2f}' for x in ratios):>32}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
