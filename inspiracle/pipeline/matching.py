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
"""

import threading
from collections.abc import Sequence
from itertools import chain

import numpy as np
from django.db import connection, models

from inspiracle.similarity.hashing import Fingerprint
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex, NearIndex
from inspiracle.works.models import FileHashKey, Match, Work, WorkFile

MAX_MATCHES = 20
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
    """The process's index and what it knows of the table: the highest id loaded, the window's unseen ids."""

    def __init__(self) -> None:
        self.index = HashIndex()
        self.loaded = False
        self.upto = 0  # highest FileHashKey pk loaded
        self.unseen: set[int] = set()  # pks within the trailing window below ``upto`` not loaded (yet)
        self.ranges: list[tuple[int, int]] = []  # ``unseen`` as the query asks for it, made when it changes
        # Why a lock: a threaded worker could load the same rows twice and double every key.
        self.lock = threading.Lock()

    def refresh(self) -> HashIndex:
        with self.lock:
            if not self.loaded:
                rows = _read_all()
                self.loaded = True
            else:
                rows = _read_new(self.upto, self.ranges)
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


def _table() -> str:
    return _name(FileHashKey)


def _read_all() -> np.ndarray:
    """Every row (pk, file id, key) as an int64 array, read in batches along the primary key.

    The database packs each batch into one string of big-endian int64 triples, which numpy reads at once: a
    Python tuple per row cost 1.5-2.5x as much (bench/matching.py)."""
    packed = _PACKED.get(connection.vendor)
    if packed is None:
        return _read_rows_one_by_one()
    sql = (
        f"SELECT {packed}, max(id) FROM"  # noqa: S608
        f" (SELECT id, file_id, key FROM {_table()} WHERE id > %s ORDER BY id LIMIT %s) batch"
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


def _read_rows_one_by_one() -> np.ndarray:
    """The portable way, for a database without a packing aggregate above."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, file_id, key FROM {_table()}")  # noqa: S608
        return _as_rows(cursor.fetchall())


def _read_new(upto: int, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Rows above ``upto`` and rows in ``ranges`` (some of them maybe loaded already)."""
    where, params = ["id > %s"], [upto]
    for low, high in ranges:
        where.append("id BETWEEN %s AND %s")
        params += [low, high]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, file_id, key FROM {_table()} WHERE {' OR '.join(where)}", params)  # noqa: S608
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


_loaded = _Loaded()


def reset_index() -> None:
    """Forget the in-memory index (tests, where the database is rolled back under it)."""
    global _loaded
    _loaded = _Loaded()


def near_index() -> NearIndex:
    """The index searched for near-duplicates, current with every key committed so far."""
    return _loaded.refresh()


def _exact(*, sha256: str, work_id: int) -> list[int]:
    """Files of other works with these very bytes that still count."""
    sql = (
        f"SELECT f.id FROM {_name(WorkFile)} f JOIN {_name(Work)} w ON w.id = f.work_id"  # noqa: S608
        " WHERE f.sha256 = %s AND f.status = %s AND f.work_id <> %s AND w.status NOT IN (%s, %s)"
        " ORDER BY f.id LIMIT %s"
    )
    rows = _query(sql, [sha256, WorkFile.Status.READY, work_id, *GONE, MAX_MATCHES])
    return [pk for (pk,) in rows]


def _alive(ids: list[int]) -> dict[int, int]:
    """file id -> work id of the files among ``ids`` that still count: passed the checks, work not deleted."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT f.id, f.work_id FROM {_name(WorkFile)} f JOIN {_name(Work)} w ON w.id = f.work_id"  # noqa: S608
        f" WHERE f.id IN ({marks}) AND f.status = %s AND w.status NOT IN (%s, %s)"
    )
    return dict(_query(sql, [*ids, WorkFile.Status.READY, *GONE]))


def _query(sql: str, params: Sequence[str | int]) -> list[tuple]:
    """Plain SQL for the two queries of every search: building them with the ORM cost 1.1 ms each here, running
    them 0.04 ms (bench/matching.py), as core/generations.py found for cached pages."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def find_matches(*, work_id: int, sha256: str, fingerprint: Fingerprint) -> list[tuple[int, str, int]]:
    """(other file id, kind, distance) for files of other works, exact copies first, closest first."""
    found: dict[int, tuple[str, int]] = {
        pk: (Match.Kind.EXACT, 0) for pk in _exact(sha256=sha256, work_id=work_id)
    }
    index = near_index()
    candidates = index.search(fingerprint.probes, max_distance=NEAR_DISTANCE, limit=MAX_MATCHES * 2)
    alive = _alive([pk for pk, _distance in candidates])
    gone = [pk for pk, _distance in candidates if pk not in alive]
    if gone:
        index.discard(gone)
    for pk, distance in candidates:
        if pk in alive and alive[pk] != work_id and pk not in found:
            found[pk] = (Match.Kind.NEAR, distance)
    ranked = sorted(found.items(), key=lambda item: (item[1][0] != Match.Kind.EXACT, item[1][1]))
    return [(pk, kind, distance) for pk, (kind, distance) in ranked[:MAX_MATCHES]]
