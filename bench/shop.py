"""The shop list page and endpoint against a bare template view, in requests per second (issue 12).

Run: uv run --offline python bench/shop.py [--products 300] [--seconds 4] [--rounds 3]

In a temporary data folder: migrate, load the demo data, collect the static files, add ``--products`` approved products (copies of the demo
ones, each with its mockups), then run gunicorn with 2 sync workers on a free port and drive, interleaved for
``--rounds`` rounds, each URL for ``--seconds`` seconds (in half-second slices, bench/webserver.py) from 4 client
threads: a bare view rendering the site's base template (no query), the shop page, a filtered shop page and
GET /api/shop/products. Prints req/s per URL and its ratio to the bare view in the same round (this machine is
shared and noisy: only ratios compare), and the workers' CPU per request. Target: each shop URL within 2x the
bare view.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.webserver import compare, gunicorn, installation  # noqa: E402

URLS = {
    "shop page": "/shop/",
    "shop page, filtered": "/shop/?type=tshirt&price_min=10&price_max=500",
    "GET /api/shop/products": "/api/shop/products",
}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with installation(SEED.format(count=options.products)) as site, gunicorn(site) as server:
        compare(server, URLS, rounds=options.rounds, seconds=options.seconds)


if __name__ == "__main__":
    main()
