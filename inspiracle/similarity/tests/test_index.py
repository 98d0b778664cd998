import numpy as np
import pytest

from inspiracle.similarity import index as index_module
from inspiracle.similarity.hashing import to_signed
from inspiracle.similarity.index import NEAR_DISTANCE, ChunkedIndex, HashIndex

BASE = to_signed(0xC2924C5532BDDFC8)


def flipped(key: int, bits: int) -> int:
    """``key`` with its lowest ``bits`` bits inverted: exactly ``bits`` away."""
    return key ^ ((1 << bits) - 1)


def test_search_returns_each_id_once_with_its_best_distance_best_first():
    """REQ: WRK-9"""
    index = HashIndex()
    index.add([7, 7, 7], [flipped(BASE, 9), flipped(BASE, 2), flipped(BASE, 30)])
    index.add([3, 5], [flipped(BASE, 4), BASE])
    assert index.search([BASE]) == [(5, 0), (7, 2), (3, 4)]
    assert len(index) == 5


def test_the_default_threshold_is_the_near_distance():
    """REQ: WRK-9"""
    index = HashIndex()
    index.add([1, 2], [flipped(BASE, NEAR_DISTANCE), flipped(BASE, NEAR_DISTANCE + 1)])
    assert index.search([BASE]) == [(1, NEAR_DISTANCE)]
    assert index.search([BASE], max_distance=64) == [(1, NEAR_DISTANCE), (2, NEAR_DISTANCE + 1)]
    assert index.search([BASE], max_distance=0) == []


def test_several_probes_count_the_closest_one():
    index = HashIndex()
    other = to_signed(0x0123456789ABCDEF)
    index.add([1, 2], [flipped(BASE, 6), flipped(other, 1)])
    assert index.search([BASE, other]) == [(2, 1), (1, 6)]


def test_ties_are_ordered_by_id_and_the_limit_is_kept():
    index = HashIndex()
    index.add([9, 4, 6, 1], [BASE] * 4)
    assert index.search([BASE]) == [(1, 0), (4, 0), (6, 0), (9, 0)]
    assert index.search([BASE], limit=2) == [(1, 0), (4, 0)]


def test_keys_with_the_top_bit_set_are_compared_bit_for_bit():
    index = HashIndex()
    index.add([1, 2], [-1, 0])  # all ones, all zeros
    assert index.search([-1], max_distance=64) == [(1, 0), (2, 64)]
    assert index.search([-(2**63)], max_distance=64) == [(2, 1), (1, 63)]


def test_discard_removes_every_key_of_the_ids():
    """REQ: WRK-9"""
    index = HashIndex()
    index.add([1, 1, 2, 3], [BASE, flipped(BASE, 1), BASE, flipped(BASE, 3)])
    index.discard([1, 99])
    assert len(index) == 2
    assert index.search([BASE]) == [(2, 0), (3, 3)]
    index.discard([2, 3])
    assert len(index) == 0 and index.search([BASE]) == []
    index.add([4], [BASE])
    assert index.search([BASE]) == [(4, 0)]


def test_a_search_started_before_a_discard_keeps_its_own_arrays():
    index = HashIndex()
    index.add([1, 2], [BASE, BASE])
    keys_before = index._keys
    index.discard([1])
    assert index._keys is not keys_before
    assert list(keys_before[:2].view("int64")) == [BASE, BASE]


def test_adding_one_key_at_a_time_copies_each_key_a_bounded_number_of_times(monkeypatch):
    """REQ: WRK-9 — appends grow the arrays by doubling, so n adds copy fewer than 2n keys in all."""
    copied = []
    grown = index_module._grown

    def counting(array, size, capacity):
        if array.dtype == "uint64":  # the keys; the ids grow alongside
            copied.append(size)
        return grown(array, size, capacity)

    monkeypatch.setattr(index_module, "_grown", counting)
    index = HashIndex()
    added = 20_000
    for number in range(added):
        index.add([number], [number])
    assert len(index) == added
    assert sum(copied) < 2 * added
    assert len(copied) == 5  # 1024 -> 32768 in five doublings
    assert index.search([5], max_distance=0) == [(5, 0)]


def test_an_empty_index_and_empty_probes_find_nothing():
    index = HashIndex()
    assert index.search([BASE]) == []
    index.add([1], [BASE])
    assert index.search([]) == []


def test_ids_and_keys_must_pair_up():
    with pytest.raises(ValueError):
        HashIndex().add([1, 2], [BASE])


def test_a_large_index_is_scanned_in_blocks_without_losing_rows():
    index = HashIndex()
    count = 3 * index_module._BLOCK + 17
    index.add(range(count), [flipped(BASE, 40)] * (count - 1) + [BASE])
    assert index.search([BASE]) == [(count - 1, 0)]
    assert len(index.search([BASE], max_distance=40, limit=count)) == count


def _planted(rng: np.random.Generator, probes: np.ndarray, count: int) -> np.ndarray:
    """Keys 0-12 bits away from the probes, the way a copy's keys lie near the original's."""
    keys = []
    for n in range(count):
        key = int(probes[n % len(probes)]) & (2**64 - 1)
        for bit in rng.choice(64, size=int(rng.integers(0, 13)), replace=False):
            key ^= 1 << int(bit)
        keys.append(key - 2**64 if key >= 2**63 else key)
    return np.array(keys, dtype=np.int64)


@pytest.mark.parametrize("max_distance", [0, 4, 8, 10, 11, 15])
def test_the_chunked_index_answers_exactly_as_the_scan_across_builds_and_discards(max_distance):
    """REQ: WRK-9
    Multi-index hashing looks at a few buckets instead of every key; it must miss nothing the scan finds,
    whether a key sits in the built tables or in the tail added since, and after ids are discarded."""
    rng = np.random.default_rng(max_distance)
    probes = rng.integers(-(2**63), 2**63 - 1, 300)
    keys = np.concatenate([rng.integers(-(2**63), 2**63 - 1, 60_000), _planted(rng, probes, 400)])
    ids = rng.integers(0, 5_000, len(keys))
    scan, chunked = HashIndex(), ChunkedIndex()
    for part in np.array_split(np.arange(len(keys)), 7):  # built twice, the last part left in the tail
        scan.add(ids[part], keys[part])
        chunked.add(ids[part], keys[part])
    assert len(chunked) == len(keys)

    def same() -> None:
        assert chunked.search(probes, max_distance=max_distance, limit=10_000) == scan.search(
            probes, max_distance=max_distance, limit=10_000
        )
        for least in (1, 2):
            assert chunked.count_near(probes, max_distance=max_distance, least=least, limit=10_000) == (
                scan.count_near(probes, max_distance=max_distance, least=least, limit=10_000)
            )

    same()
    assert scan.count_near(
        probes, max_distance=max_distance, least=1, limit=10_000
    )  # the test finds something
    gone = [int(i) for i in ids[-400::7]]
    scan.discard(gone)
    chunked.discard(iter(gone))
    same()
    more = rng.integers(-(2**63), 2**63 - 1, 20_000)  # enough to build again, folding the discards in
    more_ids = rng.integers(5_000, 6_000, len(more))
    scan.add(more_ids, more)
    chunked.add(more_ids, more)
    same()


def test_count_near_counts_the_keys_of_an_id_near_any_probe_and_keeps_the_limit():
    far = 0xFFFF << 40  # 16 bits from 0
    for index in (HashIndex(), ChunkedIndex()):
        index.add([1, 1, 1, 2, 2, 3], [0b1, 0b11, far, 0b111, far >> 20, 0b1111])
        assert index.count_near([0], max_distance=3, least=1, limit=10) == [(1, 2), (2, 1)]
        assert index.count_near([0], max_distance=3, least=2, limit=10) == [(1, 2)]
        assert index.count_near([0, far], max_distance=3, least=1, limit=1) == [(1, 3)]


def test_the_chunked_index_refuses_distances_it_cannot_answer_exactly():
    with pytest.raises(ValueError, match="exact below 16"):
        ChunkedIndex().search([0], max_distance=16)
