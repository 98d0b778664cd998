"""WRK-9: compare a new file with every other work's files, exactly (SHA-256) and by perceptual hash.

The perceptual keys live in the database (``FileHashKey``) and, for searching, in a numpy index held by the
process that searches (DESIGN: a scan of 1,000,000 keys takes about a millisecond; a database scan 50 ms).
The index loads new keys by primary key on every search, so it stays current; keys of deleted files stay in
memory until a search meets them, when the database says they are gone and they are discarded.
"""

import threading

from inspiracle.similarity.hashing import Fingerprint
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex
from inspiracle.works.models import FileHashKey, Match, Work, WorkFile

MAX_MATCHES = 20
# Ids are handed out in order but become visible in commit order: a transaction holding a lower id can
# commit after one holding a higher id. Every refresh looks this far back for keys it has not seen yet.
_TRAILING = 10_000
# Works whose files were removed from storage: nothing left to compare with.
GONE = (Work.Status.DELETED, Work.Status.REJECTED)
_LOAD_BATCH = 50_000


class _Loaded:
    def __init__(self) -> None:
        self.index = HashIndex()
        self.upto = 0  # highest FileHashKey pk loaded
        self.recent: set[int] = set()  # pks loaded within the trailing window below ``upto``
        # Why a lock: a threaded worker could load the same rows twice and double every key.
        self.lock = threading.Lock()

    def refresh(self) -> HashIndex:
        with self.lock:
            after = max(0, self.upto - _TRAILING)
            while True:
                batch = list(
                    FileHashKey.objects.filter(pk__gt=after)
                    .order_by("pk")
                    .values_list("pk", "file_id", "key")[:_LOAD_BATCH]
                )
                if not batch:
                    break
                new = [row for row in batch if row[0] not in self.recent]
                self.index.add([r[1] for r in new], [r[2] for r in new])
                self.recent.update(r[0] for r in new)
                after = batch[-1][0]
                self.upto = max(self.upto, after)
            floor = self.upto - _TRAILING
            self.recent = {pk for pk in self.recent if pk > floor}
            return self.index


_loaded = _Loaded()


def reset_index() -> None:
    """Forget the in-memory index (tests, where the database is rolled back under it)."""
    global _loaded
    _loaded = _Loaded()


def _alive(ids: list[int]) -> dict[int, int]:
    """file id -> work id of the files among ``ids`` that still count: passed the checks, work not deleted."""
    rows = (
        WorkFile.objects.filter(pk__in=ids, status=WorkFile.Status.READY)
        .exclude(work__status__in=GONE)
        .values_list("pk", "work_id")
    )
    return dict(rows)


def find_matches(*, work_id: int, sha256: str, fingerprint: Fingerprint) -> list[tuple[int, str, int]]:
    """(other file id, kind, distance) for files of other works, exact copies first, closest first."""
    found: dict[int, tuple[str, int]] = {}
    exact = (
        WorkFile.objects.filter(sha256=sha256, status=WorkFile.Status.READY)
        .exclude(work_id=work_id)
        .exclude(work__status__in=GONE)
        .values_list("pk", flat=True)[:MAX_MATCHES]
    )
    for pk in exact:
        found[pk] = (Match.Kind.EXACT, 0)
    index = _loaded.refresh()
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
