import pytest

from inspiracle.similarity import index as index_module
from inspiracle.similarity.hashing import to_signed
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex

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
