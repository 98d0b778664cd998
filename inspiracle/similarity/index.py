"""An in-memory index of perceptual keys, searched by Hamming distance (WRK-9).

A brute-force scan: XOR every stored key with the probe and count the bits. DESIGN.md found it exact (faiss's
hash and HNSW indexes lost matches) and 50 times faster than PostgreSQL's bit_count scan; bench/similarity.py
measures it. The scan goes in blocks
of 32,768 keys so that the XOR scratch stays in the CPU cache instead of writing 8 MB per million keys to
memory, and every probe is compared with a block while the block is in cache.
"""

import threading
from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

# Two keys at most this far apart (of 64 bits) are the same picture. Chosen in docs/decisions/0004: at 10 the
# alterations of the bench are found and unrelated pictures match in well under 0.1% of pairs; at 12 the false
# matches passed 0.1%. Keys have as many ones as zeros, so distances are even: 10 and 11 are the same threshold.
NEAR_DISTANCE = 10

_BLOCK = 1 << 15  # keys scanned at a time: 256 KiB of keys plus 256 KiB of scratch fit in L2
_INITIAL_CAPACITY = 1024


class NearIndex(Protocol):
    """What a near-duplicate search needs of an index, whether held in this process or by a shared engine.

    ``HashIndex`` is the embedded default; docs/decisions/0023 says which engine takes over beyond one
    machine. Ids are file ids; ``discard`` lets a search drop ids the database says are gone.
    """

    def search(
        self, probes: Sequence[int], *, max_distance: int | None = None, limit: int = 50
    ) -> list[tuple[int, int]]: ...

    def count_near(
        self, probes: Sequence[int], *, max_distance: int, least: int, limit: int
    ) -> list[tuple[int, int]]: ...

    def discard(self, ids: Iterable[int]) -> None: ...


class _Answers:
    """The two questions a search asks, answered from ``_hits``: (id, distance) of every key near a probe."""

    def _hits(self, probes: Sequence[int], max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def search(
        self, probes: Sequence[int], *, max_distance: int | None = None, limit: int = 50
    ) -> list[tuple[int, int]]:
        """(id, best distance to any probe) for ids within ``max_distance`` (default NEAR_DISTANCE), best first."""
        return _best(*self._hits(probes, NEAR_DISTANCE if max_distance is None else max_distance), limit)

    def count_near(
        self, probes: Sequence[int], *, max_distance: int, least: int, limit: int
    ) -> list[tuple[int, int]]:
        """(id, how many of its keys lie within ``max_distance`` of some probe) for the ids with at least
        ``least`` such keys, most first: the candidate step of local features, where one id has many keys
        and one shared key is a coincidence (similarity/local.py)."""
        return _counted(self._hits(probes, max_distance)[0], least, limit)


class HashIndex(_Answers):
    """Keys of many ids (several keys per id allowed); ``search`` returns the best distance once per id.

    Safe to share between threads: writers take a lock; a search takes it only to pick up the current arrays.
    ``add`` writes past the end those arrays were read with, and ``discard`` builds new arrays, so a search in
    progress never sees a half-made change.
    """

    def __init__(self) -> None:
        self._keys = np.empty(_INITIAL_CAPACITY, dtype=np.uint64)
        self._ids = np.empty(_INITIAL_CAPACITY, dtype=np.int64)
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """The number of stored keys (not ids)."""
        return self._size

    @property
    def capacity(self) -> int:
        return len(self._keys)

    def add(self, ids: Sequence[int] | np.ndarray, keys: Sequence[int] | np.ndarray) -> None:
        """Store ``keys[i]`` for ``ids[i]``. Keys are signed int64 values, as the database holds them."""
        new_ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        new_keys = _as_keys(keys)
        if len(new_ids) != len(new_keys):
            raise ValueError(f"{len(new_ids)} ids but {len(new_keys)} keys")
        with self._lock:
            end = self._size + len(new_keys)
            if end > len(self._keys):
                # Doubling keeps appends amortized O(1): n single adds copy fewer than 2n keys in all.
                capacity = max(end, 2 * len(self._keys))
                self._keys = _grown(self._keys, self._size, capacity)
                self._ids = _grown(self._ids, self._size, capacity)
            self._keys[self._size : end] = new_keys
            self._ids[self._size : end] = new_ids
            self._size = end

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        """(keys as uint64, ids) as stored now; later adds and discards do not change them."""
        with self._lock:
            return self._keys[: self._size], self._ids[: self._size]

    def discard(self, ids: Iterable[int]) -> None:
        """Forget every key of these ids."""
        gone = np.asarray(list(ids), dtype=np.int64)
        with self._lock:
            keep = ~np.isin(self._ids[: self._size], gone)
            size = int(keep.sum())
            if size == self._size:
                return
            capacity = max(_INITIAL_CAPACITY, len(self._keys) if size > len(self._keys) // 4 else 2 * size)
            keys = np.empty(capacity, dtype=np.uint64)
            keys[:size] = self._keys[: self._size][keep]
            ids_ = np.empty(capacity, dtype=np.int64)
            ids_[:size] = self._ids[: self._size][keep]
            self._keys, self._ids, self._size = keys, ids_, size

    def _hits(self, probes: Sequence[int], max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        """(id, best distance) of every stored key within ``max_distance`` of a probe, one row per key."""
        wanted = _as_keys(probes)
        keys, ids = self.snapshot()
        if not len(keys) or not len(wanted):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint8)
        best = _nearest(keys, wanted)
        rows = np.flatnonzero(best <= max_distance)
        return ids[rows], best[rows]


def _best(ids: np.ndarray, distances: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """(id, its best distance), best first, ties by id."""
    order = np.lexsort((ids, distances))
    ids, distances = ids[order], distances[order]
    # Sorted by distance, an id's first row holds its best distance.
    _unique, first = np.unique(ids, return_index=True)
    first = np.sort(first)[: max(0, limit)]
    return [(int(ids[i]), int(distances[i])) for i in first]


def _counted(ids: np.ndarray, least: int, limit: int) -> list[tuple[int, int]]:
    """(id, rows of it) for ids with at least ``least`` rows, most first, ties by id."""
    found, counts = np.unique(ids, return_counts=True)
    keep = counts >= least
    found, counts = found[keep], counts[keep]
    order = np.lexsort((found, -counts))[: max(0, limit)]
    return [(int(found[i]), int(counts[i])) for i in order]


def _as_keys(values: Sequence[int] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1).view(np.uint64)


def _grown(array: np.ndarray, size: int, capacity: int) -> np.ndarray:
    grown = np.empty(capacity, dtype=array.dtype)
    grown[:size] = array[:size]
    return grown


def _nearest(keys: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """For each key, the smallest number of bits in which it differs from any probe (uint8)."""
    best = np.empty(len(keys), dtype=np.uint8)
    scratch = np.empty(min(len(keys), _BLOCK), dtype=np.uint64)
    counts = np.empty(len(scratch), dtype=np.uint8)
    for start in range(0, len(keys), _BLOCK):
        block = keys[start : start + _BLOCK]
        xor, out = scratch[: len(block)], best[start : start + len(block)]
        np.bitwise_xor(block, probes[0], out=xor)
        np.bitwise_count(xor, out=out)
        for probe in probes[1:]:
            np.bitwise_xor(block, probe, out=xor)
            np.bitwise_count(xor, out=counts[: len(block)])
            np.minimum(out, counts[: len(block)], out=out)
    return best


# --- many probes: multi-index hashing --------------------------------------------------------------------------

_CHUNK_BITS = 16
_CHUNKS = 64 // _CHUNK_BITS
_CHUNK_MASK = (1 << _CHUNK_BITS) - 1
# Keys added since the last build are scanned directly until there are this many (or an eighth of the built
# part); then everything is built again, which costs about 20 ms per 100,000 keys.
_TAIL = 1 << 14


def _chunk_masks(radius: int) -> np.ndarray:
    """Every 16-bit value with at most ``radius`` bits set: the chunk values within ``radius`` of a chunk."""
    values = np.arange(1 << _CHUNK_BITS, dtype=np.int64)
    return values[np.bitwise_count(values) <= radius]


class _Built:
    """Keys sorted by each of their four 16-bit chunks, with where each chunk value starts (a CSR table)."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        self.keys, self.ids = keys, ids
        self.orders, self.offsets = [], []
        for chunk in range(_CHUNKS):
            values = _chunk(keys, chunk)
            # int32 positions while they fit: 4 bytes a key and chunk instead of 8, in every worker process.
            order = np.argsort(values, kind="stable")
            self.orders.append(order.astype(np.int32) if len(keys) < 2**31 else order)
            counts = np.bincount(values, minlength=1 << _CHUNK_BITS)
            self.offsets.append(np.concatenate([[0], np.cumsum(counts)]))

    def near(self, probes: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        """(key positions, distance) of every stored key within ``max_distance`` of some probe, with its best
        distance. Exact, by pigeonhole (Norouzi et al.'s split): with ``max_distance`` = 4 r + a (a < 4), a key
        that far away differs in at most r bits in one of the first a + 1 chunks, or in at most r - 1 bits in
        one of the others (else it would differ in 4 r + a + 1 bits at least), so it is in one of the buckets
        looked at. At 10 bits the last chunk is looked up within 1 bit instead of 2: 17 buckets a probe instead
        of 137 there, a fifth less work in all."""
        radius, extra = divmod(max_distance, _CHUNKS)
        wide, narrow = _chunk_masks(radius), _chunk_masks(radius - 1)
        positions, distances = [], []
        for chunk in range(_CHUNKS):
            masks = wide if chunk <= extra else narrow
            if not len(masks):  # within -1 bits: nothing to look up in this chunk
                continue
            wanted = (_chunk(probes, chunk)[:, None] ^ masks[None, :]).reshape(-1)
            starts, ends = self.offsets[chunk][wanted], self.offsets[chunk][wanted + 1]
            lengths = ends - starts
            total = int(lengths.sum())
            if not total:
                continue
            # Every bucket's positions in one array: a running index shifted to each bucket's start.
            shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            at = self.orders[chunk][np.arange(total) + shift]
            probe = np.repeat(np.arange(len(wanted)) // len(masks), lengths)
            distance = np.bitwise_count(self.keys[at] ^ probes[probe])
            close = distance <= max_distance
            positions.append(at[close])
            distances.append(distance[close])
        if not positions:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint8)
        at, distance = np.concatenate(positions), np.concatenate(distances)
        order = np.lexsort((distance, at))
        at, distance = at[order], distance[order]
        first = np.ones(len(at), dtype=bool)
        first[1:] = at[1:] != at[:-1]
        return at[first], distance[first]


def _chunk(keys: np.ndarray, chunk: int) -> np.ndarray:
    return ((keys >> np.uint64(_CHUNK_BITS * chunk)) & np.uint64(_CHUNK_MASK)).astype(np.int64)


class ChunkedIndex(_Answers):
    """The same answers as ``HashIndex`` by multi-index hashing (Norouzi, Punjani and Fleet, 2012), for searches
    with hundreds of probes: local features probe with about 900 keys, and a scan costs every probe times
    every key (0.6 s over 490,000 keys here), where looking up each probe's neighbouring chunk values in
    tables costs a few milliseconds (bench/matching.py --local). Exact, as long as ``max_distance`` < 16.

    Keys added since the last build wait in a small tail that is scanned. Discarded ids are left out of the
    answers until the next build drops their keys (a build costs about 20 ms per 100,000 keys: not once per
    deleted file a search happens to meet). A search takes the built tables, the tail and the discarded ids
    together under the lock, so it never sees a key twice or not at all.
    """

    def __init__(self) -> None:
        self._built = _Built(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
        self._tail = HashIndex()
        self._gone = np.empty(0, dtype=np.int64)  # discarded ids whose keys are still in the built tables
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._built.keys) + len(self._tail)

    def add(self, ids: Sequence[int] | np.ndarray, keys: Sequence[int] | np.ndarray) -> None:
        with self._lock:
            self._tail.add(ids, keys)
            if len(self._tail) > max(_TAIL, len(self._built.keys) // 8):
                self._rebuild()

    def discard(self, ids: Iterable[int]) -> None:
        gone = np.asarray(list(ids), dtype=np.int64)
        with self._lock:
            self._tail.discard(gone)
            self._gone = np.union1d(self._gone, gone)

    def _rebuild(self) -> None:
        tail_keys, tail_ids = self._tail.snapshot()
        keys = np.concatenate([self._built.keys, tail_keys])
        ids = np.concatenate([self._built.ids, tail_ids])
        if len(self._gone):
            keep = ~np.isin(ids, self._gone)
            keys, ids = keys[keep], ids[keep]
        self._built, self._tail, self._gone = _Built(keys, ids), HashIndex(), np.empty(0, dtype=np.int64)

    def _hits(self, probes: Sequence[int], max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        """(id, distance) of every stored key within ``max_distance`` of a probe, one row per key."""
        if max_distance >= _CHUNK_BITS:
            raise ValueError(f"ChunkedIndex is exact below {_CHUNK_BITS} bits, not {max_distance}")
        wanted = _as_keys(probes)
        with self._lock:
            built, tail, gone = self._built, self._tail, self._gone
        if not len(wanted):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint8)
        at, distance = built.near(wanted, max_distance)
        ids = built.ids[at]
        if len(gone):
            kept = ~np.isin(ids, gone)
            ids, distance = ids[kept], distance[kept]
        tail_hits, tail_distances = tail._hits(probes, max_distance)
        return np.concatenate([ids, tail_hits]), np.concatenate([distance, tail_distances])
