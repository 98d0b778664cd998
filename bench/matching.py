"""find_matches (pipeline/matching.py) with its keys in the database, beside the bare numpy scan of the same keys.

Run: .venv/bin/python bench/matching.py [--files 100000] [--rounds 7] [--searches 40] [--postgres URL]

The issue's target (WRK-9, issue 14): a search through ``find_matches`` within 3x of the bare scan (XOR and
popcount of every key against the probe, in blocks, as similarity/index.py does it, and picking the keys within
NEAR_DISTANCE), for about 1.3M FileHashKey rows: 100,000 files at 13.4 keys each. For each database (a
throwaway SQLite file, and a throwaway PostgreSQL database created and dropped on the server of ``--postgres``)
it migrates, seeds the rows with bulk inserts, then

- times the first load of the whole index in a fresh state (the first upload of a worker), against the loader
  this module replaced (ORM ``values_list`` batches), and prints the time per million keys;
- alternates, round by round, a batch of ``find_matches`` calls and a batch of bare scans of the same probes,
  so that a busy neighbour slows both alike, and prints the min and median ratio of the per-round medians;
- times a search right after a file's keys were committed (the refresh that picks them up).

Probes are random 64-bit keys (no stored key within distance 10, as for most uploads) and, every fourth
search, a stored key with a few bits flipped, so the candidates' liveness query runs too.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

KEYS_PER_FILE = 13.4
TARGET = 3.0


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def seed(files: int, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """``files`` READY files of 100 works with 13.4 random keys each; (a work id, every key) returned."""
    from django.db import connection, transaction
    from django.utils import timezone

    from inspiracle.agreements.models import Version
    from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
    from inspiracle.core.testing import make_user
    from inspiracle.works.models import FileHashKey, Work, WorkFile

    agreements_load_directory(directory=DEFAULTS_DIR)
    owner = make_user("bench_ana")
    now = timezone.now()
    works = Work.objects.bulk_create(
        Work(
            owner=owner,
            title=f"w{n}",
            category="illustration",
            ai_use="none",
            rights_confirmed_at=now,
            licence_version=Version.objects.earliest("pk"),
            status=Work.Status.AWAITING_REVIEW,
        )
        for n in range(100)
    )
    with transaction.atomic():
        rows = (
            WorkFile(
                work=works[n % len(works)],
                original_name="a.jpg",
                size=1,
                status=WorkFile.Status.READY,
                sha256=f"{n:064x}",
            )
            for n in range(files)
        )
        WorkFile.objects.bulk_create(rows, batch_size=5000)
    file_ids = np.array(WorkFile.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)
    counts = np.where(rng.random(len(file_ids)) < KEYS_PER_FILE - 13, 14, 13)
    owners = np.repeat(file_ids, counts)
    keys = rng.integers(-(2**63), 2**63 - 1, size=len(owners), dtype=np.int64)
    table = connection.ops.quote_name(FileHashKey._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (file_id, key) FROM STDIN") as copy:
                for start in range(0, len(keys), 100_000):
                    part = zip(
                        owners[start : start + 100_000].tolist(),
                        keys[start : start + 100_000].tolist(),
                        strict=True,
                    )
                    copy.write("".join(f"{f}\t{k}\n" for f, k in part))
        else:
            # sqlite3's own executemany: Django's wrapper rewrites every row's placeholders.
            cursor.cursor.executemany(
                f"INSERT INTO {table} (file_id, key) VALUES (?, ?)",  # noqa: S608
                zip(owners.tolist(), keys.tolist(), strict=True),
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return works[0].pk, keys


def old_load() -> int:
    """The loader this module replaced: ORM values_list batches, Python lists of tuples."""
    from inspiracle.similarity.index import HashIndex
    from inspiracle.works.models import FileHashKey

    index, after = HashIndex(), 0
    while True:
        batch = list(
            FileHashKey.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "file_id", "key")[:50_000]
        )
        if not batch:
            return len(index)
        index.add([r[1] for r in batch], [r[2] for r in batch])
        after = batch[-1][0]


def time_first_load(total: int) -> None:
    from inspiracle.pipeline import matching

    for name, load in (("ORM values_list (before)", old_load), ("raw SQL to arrays (now)", None)):
        times = []
        for _ in range(3):
            matching.reset_index()
            started = time.perf_counter()
            size = old_load() if load else len(matching._loaded.refresh())
            times.append(time.perf_counter() - started)
            assert size == total, (size, total)
        best = min(times)
        print(f"  first load, {name}: best {best:.2f} s, {best / total * 1e6:.2f} s per million keys")


def probes_for(keys: np.ndarray, count: int, rng: np.random.Generator) -> list[int]:
    """Random probes, and every fourth one a stored key with up to 6 bits flipped (a near-duplicate)."""
    probes = rng.integers(-(2**63), 2**63 - 1, size=count, dtype=np.int64)
    for n in range(0, count, 4):
        flip = np.int64(0)
        for bit in rng.choice(63, size=int(rng.integers(0, 7)), replace=False):
            flip |= np.int64(1) << np.int64(bit)
        probes[n] = keys[rng.integers(len(keys))] ^ flip
    return probes.tolist()


def bare_scan(keys: np.ndarray, probe: int) -> np.ndarray:
    from inspiracle.similarity.index import NEAR_DISTANCE, _nearest

    return np.flatnonzero(_nearest(keys, np.array([probe], dtype=np.int64).view(np.uint64)) <= NEAR_DISTANCE)


def compare(
    work_id: int, keys: np.ndarray, rounds: int, searches: int, rng: np.random.Generator
) -> list[float]:
    from inspiracle.pipeline.matching import find_matches
    from inspiracle.similarity.hashing import Fingerprint

    stored = keys.view(np.uint64)
    ratios = []
    for number in range(rounds):
        probes = probes_for(keys, searches, rng)
        prints = [Fingerprint(phash=0, dhash=0, keys=(p,), probes=(p,)) for p in probes]
        find, scan = [], []
        for probe, fp in zip(probes, prints, strict=True):
            started = time.perf_counter()
            find_matches(work_id=work_id, sha256=uuid.uuid4().hex * 2, fingerprint=fp)
            find.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare_scan(stored, probe)
            scan.append(time.perf_counter() - started)
        f, s = statistics.median(find) * 1e3, statistics.median(scan) * 1e3
        ratios.append(f / s)
        print(
            f"  round {number + 1}: find_matches median {f:.2f} ms, bare scan median {s:.2f} ms, ratio {f / s:.2f}"
        )
    return ratios


def time_new_keys(rng: np.random.Generator, work_id: int) -> None:
    """A search right after one file's keys were committed, beside one with nothing new."""
    from inspiracle.pipeline.matching import _loaded
    from inspiracle.works.models import FileHashKey, WorkFile

    other = WorkFile.objects.order_by("pk").first()
    assert other is not None
    fresh, idle = [], []
    for _ in range(10):
        FileHashKey.objects.bulk_create(
            FileHashKey(file=other, key=int(k))
            for k in rng.integers(-(2**63), 2**63 - 1, size=13, dtype=np.int64)
        )
        started = time.perf_counter()
        _loaded.refresh()
        fresh.append(time.perf_counter() - started)
        started = time.perf_counter()
        _loaded.refresh()
        idle.append(time.perf_counter() - started)
    print(
        f"  refresh after 13 new keys: median {statistics.median(fresh) * 1e3:.2f} ms; "
        f"with nothing new: median {statistics.median(idle) * 1e3:.3f} ms"
    )


def run(label: str, url: str, args: argparse.Namespace) -> None:
    print(f"{label}: {url}")
    setup(url)
    from django.db import connection

    rng = np.random.default_rng(14)
    started = time.perf_counter()
    work_id, keys = seed(args.files, rng)
    print(f"  seeded {args.files:,} files, {len(keys):,} keys in {time.perf_counter() - started:.1f} s")
    time_first_load(len(keys))
    ratios = compare(work_id, keys, args.rounds, args.searches, rng)
    print(
        f"  {label}: find_matches / bare scan: min {min(ratios):.2f}, median {statistics.median(ratios):.2f} "
        f"(target <= {TARGET}) -> {'MET' if statistics.median(ratios) <= TARGET else 'NOT MET'}"
    )
    time_new_keys(rng, work_id)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--searches", type=int, default=40)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    # One database per process: Django is set up once, so each database runs in a child of this script.
    if args.only == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args)
    elif args.only == "postgresql":
        run_postgres(args)
    else:
        import subprocess

        for only in ("sqlite", "postgresql"):
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--only", only], check=True)  # noqa: S603


def run_postgres(args: argparse.Namespace) -> None:
    """A throwaway database on the server of ``--postgres``, dropped afterwards whatever happens."""
    import psycopg

    name = f"bench_matching_{os.getpid()}"
    admin = psycopg.connect(args.postgres, autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    try:
        run("PostgreSQL", args.postgres.rsplit("/", 1)[0] + f"/{name}", args)
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


if __name__ == "__main__":
    main()
