"""find_matches and the index it keeps current from FileHashKey rows (WRK-9)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from django.db import connection

from inspiracle.agreements.models import Version
from inspiracle.pipeline import matching
from inspiracle.similarity.hashing import Fingerprint, to_signed
from inspiracle.works.models import FileHashKey, Work, WorkFile

BASE = to_signed(0xC2924C5532BDDFC8)
MOMENT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


def near(bits: int) -> int:
    """BASE with its lowest ``bits`` bits inverted: exactly ``bits`` away."""
    return BASE ^ ((1 << bits) - 1)


def far(n: int) -> int:
    """A key 32 bits or more from BASE and from every other ``far`` key."""
    return to_signed(((n * 0x9E3779B97F4A7C15) & (2**64 - 1)) ^ 0xFFFFFFFF00000000) ^ BASE


def stored() -> int:
    """How many keys the process's index holds, after picking up the new ones."""
    return len(matching._loaded.refresh())


def probe(key: int = BASE) -> Fingerprint:
    return Fingerprint(phash=0, dhash=0, keys=(key,), probes=(key,))


def ready_file(owner, status: str = Work.Status.AWAITING_REVIEW, sha256: str = "") -> WorkFile:
    work = Work.objects.create(
        owner=owner,
        title="Spring rain",
        category="illustration",
        ai_use="none",
        rights_confirmed_at=MOMENT,
        licence_version=Version.objects.earliest("pk"),
        status=status,
        deleted_at=MOMENT if status == Work.Status.DELETED else None,
    )
    return WorkFile.objects.create(
        work=work, original_name="a.jpg", size=1, status=WorkFile.Status.READY, sha256=sha256
    )


def search(new: WorkFile, key: int = BASE, sha256: str = "f" * 64) -> list[tuple[int, str, int]]:
    found = matching.find_matches(work_id=new.work_id, sha256=sha256, fingerprint=probe(key))
    return [(f.other, f.kind, f.distance) for f in found]


@pytest.fixture
def new(ana) -> WorkFile:
    """The file being uploaded, whose search the tests run."""
    return ready_file(ana)


def test_a_key_committed_after_a_higher_one_is_still_found(ana, new):
    """REQ: WRK-9
    GIVEN keys with ids 200 and 202 loaded, id 201 handed to a transaction that had not committed yet
    WHEN that transaction commits key 201 and a search runs
    THEN the search finds it, although it is below the highest id already loaded."""
    first, late, second = ready_file(ana), ready_file(ana), ready_file(ana)
    FileHashKey.objects.bulk_create(
        [FileHashKey(pk=200, file=first, key=far(1)), FileHashKey(pk=202, file=second, key=far(2))]
    )
    assert search(new) == []
    FileHashKey.objects.create(pk=201, file=late, key=near(4))
    assert search(new) == [(late.pk, "near", 4)]


def test_a_late_key_far_below_the_window_is_given_up(ana, new, monkeypatch):
    """Only the trailing window is watched: an id more than _TRAILING below the highest is not asked for."""
    monkeypatch.setattr(matching, "_TRAILING", 5)
    owner_files = [ready_file(ana) for _ in range(2)]
    FileHashKey.objects.bulk_create([FileHashKey(pk=100, file=owner_files[0], key=far(1))])
    assert search(new) == []
    FileHashKey.objects.bulk_create([FileHashKey(pk=110, file=owner_files[0], key=far(2))])
    assert search(new) == []
    assert matching._loaded.unseen == {106, 107, 108, 109}
    FileHashKey.objects.create(pk=101, file=owner_files[1], key=near(2))
    assert search(new) == []


def test_a_search_with_nothing_new_asks_the_database_once_for_keys(ana, new, django_assert_num_queries):
    """REQ: WRK-9"""
    FileHashKey.objects.create(file=ready_file(ana), key=far(3))
    matching.near_index()
    with django_assert_num_queries(1) as captured:
        assert stored() == 1
    assert "FileHashKey".lower() in captured.captured_queries[0]["sql"].lower()


def test_a_search_runs_three_queries_in_all(ana, new, django_assert_num_queries):
    """The exact copies, the new keys, the candidates' liveness: no query per candidate."""
    for bits in (0, 2, 4):
        FileHashKey.objects.create(file=ready_file(ana), key=near(bits))
    search(new)
    with django_assert_num_queries(3):
        assert [distance for _pk, _kind, distance in search(new)] == [0, 2, 4]


def test_keys_of_deleted_and_rejected_works_and_of_refused_files_do_not_match(ana, new):
    """REQ: WRK-9"""
    kept = ready_file(ana)
    deleted, rejected = ready_file(ana, Work.Status.DELETED), ready_file(ana, Work.Status.REJECTED)
    refused = ready_file(ana)
    WorkFile.objects.filter(pk=refused.pk).update(status=WorkFile.Status.REFUSED, refusal_code="malware")
    for row in (kept, deleted, rejected, refused):
        FileHashKey.objects.create(file=row, key=near(2))
    assert search(new) == [(kept.pk, "near", 2)]
    assert {pk for pk, _d in matching.near_index().search([BASE])} == {kept.pk}  # the dead ones discarded


def test_exact_copies_come_first_and_the_files_own_work_is_left_out(ana, new):
    """REQ: WRK-9"""
    sha = "a" * 64
    copy, close = ready_file(ana, sha256=sha), ready_file(ana)
    sibling = WorkFile.objects.create(
        work=new.work, original_name="b.jpg", size=1, status=WorkFile.Status.READY, sha256=sha
    )
    ready_file(ana, Work.Status.DELETED, sha256=sha)
    FileHashKey.objects.create(file=close, key=near(0))
    FileHashKey.objects.create(file=sibling, key=near(0))
    assert search(new, sha256=sha) == [(copy.pk, "exact", 0), (close.pk, "near", 0)]


def test_keys_read_twice_are_stored_once(ana, new):
    rows = [ready_file(ana) for _ in range(3)]
    FileHashKey.objects.bulk_create(FileHashKey(file=row, key=far(n)) for n, row in enumerate(rows))
    for _ in range(3):
        matching.near_index()
    FileHashKey.objects.create(file=rows[0], key=far(9))
    assert stored() == 4


def test_the_first_load_reads_every_key_in_batches(ana, new, monkeypatch):
    monkeypatch.setattr(matching, "_LOAD_BATCH", 4)
    rows = [ready_file(ana) for _ in range(3)]
    keys = [FileHashKey(file=rows[n % 3], key=far(n)) for n in range(9)] + [
        FileHashKey(file=rows[1], key=near(6))
    ]
    FileHashKey.objects.bulk_create(keys)
    assert stored() == 10
    assert search(new) == [(rows[1].pk, "near", 6)]
    for n in (0, 4, 8):  # keys with the top bit set or not come back bit for bit
        assert matching.near_index().search([far(n)], max_distance=0) == [(rows[n % 3].pk, 0)]


def test_unseen_ids_are_asked_for_in_a_few_ranges_cut_at_the_widest_gaps():
    assert matching._ranges([], 3) == []
    assert matching._ranges([5, 6, 7, 9], 3) == [(5, 7), (9, 9)]
    assert matching._ranges([1, 2, 10, 11, 13, 40], 3) == [(1, 2), (10, 13), (40, 40)]
    assert matching._ranges([1, 3, 5, 7], 1) == [(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_searches_in_parallel_threads_load_every_key_once(agreements):
    """REQ: WRK-9: a threaded worker shares one index; two first loads at once must not double the keys."""
    from inspiracle.core.testing import make_user

    owner = make_user("ana")
    rows = [ready_file(owner) for _ in range(4)]
    FileHashKey.objects.bulk_create(FileHashKey(file=rows[n % 4], key=far(n)) for n in range(40))
    barrier = threading.Barrier(6)

    def run(_n: int) -> int:
        barrier.wait()
        try:
            return stored()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(run, range(6))) == {40}
    assert stored() == 40
