"""WRK-9: compare a new file with every other work's files, exactly (SHA-256) and by perceptual hash.

The perceptual keys live in the database (``FileHashKey``) and, for searching, in a numpy index held by the
process that searches (DESIGN: a scan of 1,000,000 keys takes about a millisecond; a database scan 50 ms).

Keeping the index current costs one tiny query per search. Ids are handed out in order but become visible in
commit order: a transaction holding a lower id can commit after one holding a higher id. So besides the rows
above the highest id loaded (``upto``), a refresh asks for the ids of the last ``_TRAILING`` that it has not
seen: those of transactions still open at the last look, rolled back, or deleted before this process loaded.
They are few and come in runs (one file's keys are one insert), so they go into the same query as a handful
of ``BETWEEN`` ranges. A search with nothing new runs ``WHERE id > upto`` (plus those ranges) on the primary
key and gets no rows: 0.07-0.09 ms on SQLite, 0.3 ms on PostgreSQL on a quiet machine, where re-reading the
whole window of 10,000 rows through the ORM cost 21-26 ms at 1.3M keys. With the exact-copy and liveness
queries in plain SQL too, a search costs 1.3-2x the bare scan of 1.3M keys (bench/matching.py,
docs/decisions/0023). A counter bumped by the writers (core/generations.py) would detect new
keys as cheaply, but would put one hot row lock in every accepting transaction and still need this query to
find out which keys are new.

The first search of a process loads every key: batches over the primary key, each packed by the database
into one string that numpy reads whole, without a Python tuple per row (bench/matching.py prints the time per
million keys).

Keys of deleted files stay in memory until a search meets them, when the database says they are gone and
they are discarded.

Local features (similarity/local.py, decision 0024) find what the whole-picture keys cannot: a crop, a border,
a rotation, a picture inside a screenshot. Their candidate keys (``FileLocalKey``, up to 64 a file) sit in a
second index kept current the same way; a file with enough keys near the new picture's probes is a candidate,
and the best ``_VERIFY`` candidates are checked against their stored features (``FileFeatures``) by RANSAC,
which also says where the shared region lies in both pictures. Near matches are checked the same way, for
their regions. The upload itself runs only the whole-picture search (``find_matches``); the local one
(``find_local``) runs once the file's acceptance is committed (copy_search.py, decision 0027).
"""

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain

import numpy as np
from django.db import connection, models

from inspiracle.similarity import local
from inspiracle.similarity.hashing import Fingerprint
from inspiracle.similarity.index import NEAR_DISTANCE, ChunkedIndex, HashIndex, NearIndex
from inspiracle.works.models import FileFeatures, FileHashKey, FileLocalKey, Match, Work, WorkFile

log = logging.getLogger(__name__)

MAX_MATCHES = 20
# Candidates checked by local features per search, most shared keys first: a true copy verifies in about
# 2 ms, an unrelated candidate costs about 8 ms (bench/similarity.py), so a search spends at most a quarter
# of a second here whatever the index holds.
_VERIFY = 30
_VERIFY_THREADS = 2  # candidates verified at a time (see _verified)
# How far below the highest id loaded a key committed late is still picked up. A writing transaction would
# have to stay open while 10,000 other keys (about 750 files) were accepted to be missed.
_TRAILING = 10_000
# Unseen ids of the window are asked for as at most this many ranges; closer runs are merged and the rows
# already loaded that a merged range brings back are dropped here.
_MAX_RANGES = 16
# Rows per round trip on the first load: large enough that a round trip is cheap beside its rows, small
# enough that a batch stays a few megabytes (24 bytes a row from PostgreSQL, 48 from SQLite).
_LOAD_BATCH = 200_000
# Works whose files were removed from storage: nothing left to compare with.
GONE = (Work.Status.DELETED, Work.Status.REJECTED)


class _Loaded:
    """The process's index of one key table and what it knows of the table: the highest id loaded, the
    window's unseen ids."""

    def __init__(
        self, model: type[FileHashKey] | type[FileLocalKey], index: type[HashIndex] | type[ChunkedIndex]
    ) -> None:
        self.model = model
        self.index = index()
        self.loaded = False
        self.upto = 0  # highest FileHashKey pk loaded
        self.unseen: set[int] = set()  # pks within the trailing window below ``upto`` not loaded (yet)
        self.ranges: list[tuple[int, int]] = []  # ``unseen`` as the query asks for it, made when it changes
        # Why a lock: a threaded worker could load the same rows twice and double every key.
        self.lock = threading.Lock()

    def refresh(self) -> HashIndex | ChunkedIndex:
        with self.lock:
            if not self.loaded:
                rows = _read_all(_name(self.model))
                self.loaded = True
            else:
                rows = _read_new(_name(self.model), self.upto, self.ranges)
            if len(rows):
                self._take(rows)
            return self.index

    def _take(self, rows: np.ndarray) -> None:
        """Add rows (pk, file id, key) not loaded before, and move the window."""
        pks = rows[:, 0]
        if self.unseen:
            fresh = (pks > self.upto) | np.isin(pks, np.fromiter(self.unseen, np.int64, len(self.unseen)))
            rows, pks = rows[fresh], pks[fresh]
            if not len(rows):
                return
        self.index.add(rows[:, 1], rows[:, 2])
        top = max(self.upto, int(pks.max()))
        floor = top - _TRAILING
        seen = pks[pks > floor]
        # Ids above the old ``upto`` that did not come are in flight, rolled back or deleted: watch them.
        skipped = np.setdiff1d(np.arange(max(self.upto, floor) + 1, top + 1), seen, assume_unique=True)
        unseen = {pk for pk in self.unseen if pk > floor}
        unseen.update(skipped.tolist())
        unseen.difference_update(seen.tolist())
        self.unseen, self.upto = unseen, top
        self.ranges = _ranges(sorted(unseen), _MAX_RANGES)


def _name(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _read_all(table: str) -> np.ndarray:
    """Every row (pk, file id, key) as an int64 array, read in batches along the primary key.

    The database packs each batch into one string of big-endian int64 triples, which numpy reads at once: a
    Python tuple per row cost 1.5-2.5x as much (bench/matching.py)."""
    packed = _PACKED.get(connection.vendor)
    if packed is None:
        return _read_rows_one_by_one(table)
    sql = (
        f"SELECT {packed}, max(id) FROM"  # noqa: S608
        f" (SELECT id, file_id, key FROM {table} WHERE id > %s ORDER BY id LIMIT %s) batch"
    )
    batches, after = [], 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after, _LOAD_BATCH])
            blob, after = cursor.fetchone()
            if blob is None:
                break
            batches.append(_unpack(blob))
    return np.concatenate(batches) if batches else np.empty((0, 3), dtype=np.int64)


# One batch as a single value: bytes from PostgreSQL, hexadecimal text from SQLite (its printf writes a
# negative number as its unsigned 64-bit pattern).
_PACKED = {
    "postgresql": "string_agg(int8send(id) || int8send(file_id) || int8send(key), '')",
    "sqlite": "group_concat(printf('%%016x%%016x%%016x', id, file_id, key), '')",
}


def _unpack(blob: bytes | memoryview | str) -> np.ndarray:
    raw = bytes.fromhex(blob) if isinstance(blob, str) else bytes(blob)
    return np.frombuffer(raw, dtype=">i8").astype(np.int64).reshape(-1, 3)


def _read_rows_one_by_one(table: str) -> np.ndarray:
    """The portable way, for a database without a packing aggregate above."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, file_id, key FROM {table}")  # noqa: S608
        return _as_rows(cursor.fetchall())


def _read_new(table: str, upto: int, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Rows above ``upto`` and rows in ``ranges`` (some of them maybe loaded already)."""
    where, params = ["id > %s"], [upto]
    for low, high in ranges:
        where.append("id BETWEEN %s AND %s")
        params += [low, high]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, file_id, key FROM {table} WHERE {' OR '.join(where)}", params)  # noqa: S608
        return _as_rows(cursor.fetchall())


def _ranges(pks: list[int], limit: int) -> list[tuple[int, int]]:
    """At most ``limit`` closed ranges covering the sorted ``pks``, cut where the gaps between them are widest."""
    if not pks:
        return []
    runs = [[pks[0], pks[0]]]
    for pk in pks[1:]:
        if pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    gaps = sorted(range(1, len(runs)), key=lambda i: runs[i][0] - runs[i - 1][1], reverse=True)
    cuts = sorted(gaps[: limit - 1])
    starts = [0, *cuts]
    ends = [*(cut - 1 for cut in cuts), len(runs) - 1]
    return [(runs[start][0], runs[end][1]) for start, end in zip(starts, ends, strict=True)]


def _as_rows(rows: list[tuple[int, int, int]]) -> np.ndarray:
    """Tuples as an (n, 3) int64 array, through one flat iterator instead of numpy inspecting every tuple."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=3 * len(rows))
    return flat.reshape(-1, 3)


# A search probes the global index with about a dozen keys and the local one with about 900: the first is
# scanned, the second looked up by chunks (similarity/index.py).
_loaded = _Loaded(FileHashKey, HashIndex)
_local = _Loaded(FileLocalKey, ChunkedIndex)


def reset_index() -> None:
    """Forget the in-memory indexes (tests, where the database is rolled back under them)."""
    global _loaded, _local
    _loaded, _local = _Loaded(FileHashKey, HashIndex), _Loaded(FileLocalKey, ChunkedIndex)


def near_index() -> NearIndex:
    """The index searched for near-duplicates, current with every key committed so far."""
    return _loaded.refresh()


def local_index() -> NearIndex:
    """The index of local-feature candidate keys, current with every key committed so far."""
    return _local.refresh()


def _exact(*, sha256: str, work_id: int) -> list[int]:
    """Files of other works with these very bytes that still count."""
    sql = (
        f"SELECT f.id FROM {_name(WorkFile)} f JOIN {_name(Work)} w ON w.id = f.work_id"  # noqa: S608
        " WHERE f.sha256 = %s AND f.status = %s AND f.work_id <> %s AND w.status NOT IN (%s, %s)"
        " ORDER BY f.id LIMIT %s"
    )
    rows = _query(sql, [sha256, WorkFile.Status.READY, work_id, *GONE, MAX_MATCHES])
    return [pk for (pk,) in rows]


def _alive(ids: list[int]) -> dict[int, tuple[int, int | None]]:
    """file id -> (work id, pHash) of the files among ``ids`` that still count: passed the checks, work not
    deleted."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT f.id, f.work_id, f.phash FROM {_name(WorkFile)} f JOIN {_name(Work)} w ON w.id = f.work_id"  # noqa: S608
        f" WHERE f.id IN ({marks}) AND f.status = %s AND w.status NOT IN (%s, %s)"
    )
    return {pk: (work, phash) for pk, work, phash in _query(sql, [*ids, WorkFile.Status.READY, *GONE])}


def _stored_features(ids: list[int]) -> dict[int, bytes]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT file_id, blob FROM {_name(FileFeatures)} WHERE file_id IN ({marks})"  # noqa: S608
    return {pk: bytes(blob) for pk, blob in _query(sql, ids)}


def _query(sql: str, params: Sequence[str | int]) -> list[tuple]:
    """Plain SQL for the two queries of every search: building them with the ORM cost 1.1 ms each here, running
    them 0.04 ms (bench/matching.py), as core/generations.py found for cached pages."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Found:
    """Another work's file that the new one copies: exactly, as a whole (near) or in part (local).
    ``distance`` is the perceptual-hash distance; ``region`` says where the two pictures agree, when local
    features could tell."""

    other: int
    kind: str
    distance: int
    region: local.Verified | None = None


def as_match(file_id: int, found: Found) -> Match:
    """The row that records ``found`` as a match of the file ``file_id`` (not saved)."""
    match = Match(file_id=file_id, other_id=found.other, kind=found.kind, distance=found.distance)
    if found.region is not None:
        match.inliers = found.region.inliers
        match.mirrored = found.region.mirrored
        match.file_box = [round(v, 4) for v in found.region.query_box]
        match.other_box = [round(v, 4) for v in found.region.stored_box]
    return match


def local_candidates(query: local.Query, keys: NearIndex) -> list[tuple[int, int]]:
    """(file id, keys shared) of the stored pictures worth verifying against ``query``, most shared first
    (``keys`` from ``local_index()``)."""
    if not query.probes:
        return []
    # Headroom: the work's own earlier files (pages of one comic) may share the most keys, and are only left
    # out by find_local.
    return keys.count_near(
        query.probes, max_distance=local.KEY_DISTANCE, least=local.CANDIDATE_MATCHES, limit=2 * _VERIFY
    )


def find_matches(*, work_id: int, sha256: str, fingerprint: Fingerprint) -> list[Found]:
    """Files of other works that the new file copies as a whole, exact copies first, then by distance; at most
    MAX_MATCHES. The upload runs this; copies of a part are found afterwards by ``find_local``."""
    found: dict[int, Found] = {
        pk: Found(pk, Match.Kind.EXACT, 0) for pk in _exact(sha256=sha256, work_id=work_id)
    }
    index = near_index()
    near = index.search(fingerprint.probes, max_distance=NEAR_DISTANCE, limit=MAX_MATCHES * 2)
    alive = _alive_only(index, near)
    for pk, distance in near:
        if pk in alive and alive[pk][0] != work_id and pk not in found:
            found[pk] = Found(pk, Match.Kind.NEAR, distance)
    return _ranked(found)


def find_local(*, work_id: int, phash: int | None, query: local.Query, known: Sequence[Found]) -> list[Found]:
    """A file's matches once local features have looked (copy_search.py): ``known`` (its exact and near
    matches) with the regions verification found for them, and the files of other works that verify as copies
    of a part of it; at most MAX_MATCHES, ranked as ``find_matches`` ranks them."""
    found = {f.other: f for f in known}
    keys = local_index()
    shared = local_candidates(query, keys)
    alive = _alive_only(keys, shared, also=list(found))
    others = [pk for pk, _ in shared if pk in alive and alive[pk][0] != work_id]
    _verify(query, phash, found, others, alive)
    return _ranked(found)


def _alive_only(
    source: NearIndex, hits: list[tuple[int, int]], *, also: Sequence[int] = ()
) -> dict[int, tuple[int, int | None]]:
    """``_alive`` of the hits and ``also``; hits that no longer count are dropped from ``source`` for good."""
    alive = _alive(list({pk for pk, _ in hits} | set(also)))
    gone = [pk for pk, _ in hits if pk not in alive]
    if gone:
        source.discard(gone)
    return alive


def _ranked(found: dict[int, Found]) -> list[Found]:
    ranked = sorted(found.values(), key=lambda f: (f.kind != Match.Kind.EXACT, f.distance, f.other))
    return ranked[:MAX_MATCHES]


def _verify(
    query: local.Query,
    phash: int | None,
    found: dict[int, Found],
    shared: list[int],
    alive: dict[int, tuple[int, int | None]],
) -> None:
    """Check near matches (for their regions) and then local candidates (most shared keys first) against their
    stored features, ``_VERIFY`` in all; a candidate that verifies becomes a local match."""
    near = [pk for pk, f in found.items() if f.kind == Match.Kind.NEAR]
    todo = list(dict.fromkeys([*near, *(pk for pk in shared if pk not in found)]))[:_VERIFY]
    stored: list[tuple[int, local.LocalFeatures]] = []
    for pk, blob in _stored_features(todo).items():
        try:
            stored.append((pk, local.LocalFeatures.from_bytes(blob)))
        except ValueError as exc:  # a blob of an older layout: the global keys still cover the file
            log.warning("unreadable local features", extra={"file": pk, "error": str(exc)})
    for (pk, _features), region in zip(stored, _verified(query, stored), strict=True):
        if region is None:
            continue
        if pk in found:
            found[pk] = Found(pk, found[pk].kind, found[pk].distance, region)
        else:
            other = alive[pk][1]
            distance = 64 if phash is None or other is None else _bits(phash ^ other)
            found[pk] = Found(pk, Match.Kind.LOCAL, distance, region)


def _verified(
    query: local.Query, stored: list[tuple[int, local.LocalFeatures]]
) -> list[local.Verified | None]:
    """``local.verify`` of the query against each stored picture, in order. Two at a time (issue 14): each is
    independent, and OpenCV's matching and RANSAC release the GIL, so a second thread uses the second core."""
    if len(stored) < 2:
        return [local.verify(query, features) for _pk, features in stored]
    query.mirrored  # noqa: B018  (made once here, not by both threads: unrelated candidates all need it)
    with ThreadPoolExecutor(max_workers=_VERIFY_THREADS, thread_name_prefix="pipeline-verify") as pool:
        return list(pool.map(lambda item: local.verify(query, item[1]), stored))


def _bits(value: int) -> int:
    return (value & (2**64 - 1)).bit_count()
