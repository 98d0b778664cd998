"""The public pages and list endpoints against a bare template view, in requests per second (issue 14).

Run: uv run --offline python bench/web.py [--works 300] [--seconds 4] [--rounds 3]

In a temporary data folder (bench/webserver.py): migrate, load the demo data, collect the static files and add
``--works`` published works (copies of the demo's published ones, rows only: their files are the demo's own
derivatives), then run gunicorn with 2 sync workers and drive each URL interleaved with a bare view rendering the
site's base template, in half-second slices for ``--seconds`` per round, ``--rounds`` rounds. Prints req/s, the
ratio to the bare view per round (min and median) and the workers' CPU per request. Target: every page and list
endpoint within 2x the bare view.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.webserver import compare, gunicorn, installation  # noqa: E402

# The copies are published one second apart, newest last, so the gallery's first page is copies only.
SEED = """
from datetime import timedelta
from django.utils import timezone
from inspiracle.accounts.models import User
from inspiracle.accounts.tokens import token_issue
from inspiracle.works.models import Work, WorkFile
originals = list(Work.objects.filter(status="published").prefetch_related("files", "tags"))
start = timezone.now()
for n in range({count}):
    source = originals[n % len(originals)]
    files, tags = list(source.files.all()), list(source.tags.all())
    source.pk = source.id = None
    source.title = f"Bench work {{n}}"
    source.published_at = start + timedelta(seconds=n)
    source.save()
    source.tags.set(tags)
    for row in files:
        row.pk = row.id = None
        row.work = source
        row.save()
work = Work.objects.filter(status="published", owner__username="ana").order_by("-published_at").first()
print("WORK", work.pk)
from inspiracle.works.files import derivative_url
print("PICTURE", derivative_url(work, work.files.filter(status="ready").first(), "thumbnail"))
_, secret = token_issue(user=User.objects.get(username="ana"), name="bench", scopes=["read"], expires_in_days=1)
print("TOKEN", secret)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with installation(SEED.format(count=options.works)) as site, gunicorn(site) as server:
        work = site.seeded["WORK"]
        urls = {
            "gallery": "/gallery/",
            "work page": f"/works/{work}/",
            "profile": "/u/ana/",
            "portfolio": "/u/ana/works/",
            "transparency": "/reports/transparency/",
            "public thumbnail (first visit)": site.seeded["PICTURE"],
            "GET /api/works/public": "/api/works/public",
            "GET /api/works (token)": ("/api/works", {"Authorization": f"Bearer {site.seeded['TOKEN']}"}),
            "GET /api/shop/products": "/api/shop/products",
        }
        compare(server, urls, rounds=options.rounds, seconds=options.seconds)


if __name__ == "__main__":
    main()
