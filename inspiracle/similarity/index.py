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

    def discard(self, ids: Iterable[int]) -> None: ...


class HashIndex:
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

    def search(
        self, probes: Sequence[int], *, max_distance: int | None = None, limit: int = 50
    ) -> list[tuple[int, int]]:
        """(id, best distance to any probe) for ids within ``max_distance`` (default NEAR_DISTANCE), best first."""
        threshold = NEAR_DISTANCE if max_distance is None else max_distance
        wanted = _as_keys(probes)
        with self._lock:
            keys, ids = self._keys[: self._size], self._ids[: self._size]
        if not len(keys) or not len(wanted) or limit <= 0:
            return []
        best = _nearest(keys, wanted)
        rows = np.flatnonzero(best <= threshold)
        distances, found = best[rows], ids[rows]
        order = np.lexsort((found, distances))
        distances, found = distances[order], found[order]
        # Sorted by distance, an id's first row holds its best distance.
        _unique, first = np.unique(found, return_index=True)
        first = np.sort(first)[:limit]
        return [(int(found[i]), int(distances[i])) for i in first]


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
