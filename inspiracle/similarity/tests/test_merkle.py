"""RFC 9162 Merkle hashing against a brute-force tree built level by level. REQ: WRK-10."""

import hashlib

import pytest

from inspiracle.similarity import merkle

SIZES = range(1, 65)


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def levels(hashes: list[bytes]) -> list[list[bytes]]:
    """The tree bottom-up: pair neighbours, carry an unpaired last node up unchanged (RFC 9162's shape)."""
    out = [hashes]
    while len(out[-1]) > 1:
        level = out[-1]
        nxt = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        out.append(nxt)
    return out


def brute_root(hashes: list[bytes]) -> bytes:
    return levels(hashes)[-1][0]


def brute_path(index: int, hashes: list[bytes]) -> list[bytes]:
    path = []
    for level in levels(hashes)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        index //= 2
    return path


def flip(value: bytes, position: int) -> bytes:
    return value[:position] + bytes([value[position] ^ 1]) + value[position + 1 :]


def test_hashes_use_distinct_prefixes_for_leaves_and_nodes():
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert merkle.root([]) == hashlib.sha256(b"").digest()


def test_roots_match_the_certificate_transparency_reference_vectors():
    """The eight inputs and roots used by RFC 6962's reference implementations."""
    inputs = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    hashes = [merkle.leaf_hash(bytes.fromhex(i)) for i in inputs]
    assert [merkle.root(hashes[: n + 1]).hex() for n in range(8)] == roots


@pytest.mark.parametrize("n", SIZES)
def test_root_and_every_inclusion_proof_match_the_brute_force_tree(n):
    hashes = leaves(n)
    root = merkle.root(hashes)
    assert root == brute_root(hashes)
    for index in range(n):
        proof = merkle.inclusion_proof(index, hashes)
        assert proof == brute_path(index, hashes)
        assert merkle.verify_inclusion(
            leaf=hashes[index], index=index, tree_size=n, proof=proof, root_hash=root
        )


@pytest.mark.parametrize("n", SIZES)
def test_inclusion_verification_rejects_every_tampering(n):
    hashes = leaves(n)
    root = merkle.root(hashes)
    for index in range(n):
        proof = merkle.inclusion_proof(index, hashes)

        def ok(leaf=hashes[index], index=index, tree_size=n, proof=proof, root_hash=root):
            return merkle.verify_inclusion(
                leaf=leaf, index=index, tree_size=tree_size, proof=proof, root_hash=root_hash
            )

        assert not ok(leaf=flip(hashes[index], index % 32))
        assert not ok(root_hash=flip(root, 0))
        assert not ok(index=n)
        assert not ok(index=-1)
        assert not ok(proof=[*proof, root])
        if proof:
            assert not ok(proof=proof[:-1])
        for i in range(len(proof)):
            assert not ok(proof=[*proof[:i], flip(proof[i], 31), *proof[i + 1 :]])
        for other in range(n):
            if other != index:
                assert not ok(index=other)


@pytest.mark.parametrize("second", SIZES)
def test_every_consistency_proof_verifies_against_brute_force_roots(second):
    hashes = leaves(second)
    second_root = brute_root(hashes)
    for first in range(1, second + 1):
        first_root = brute_root(hashes[:first])
        proof = merkle.consistency_proof(first, hashes)
        assert merkle.verify_consistency(
            first=first, second=second, first_root=first_root, second_root=second_root, proof=proof
        )


@pytest.mark.parametrize("second", SIZES)
def test_consistency_verification_rejects_every_tampering(second):
    hashes = leaves(second)
    second_root = merkle.root(hashes)
    other_leaves = [*hashes[:-1], merkle.leaf_hash(b"rewritten")]
    for first in range(1, second + 1):
        first_root = merkle.root(hashes[:first])
        proof = merkle.consistency_proof(first, hashes)

        def ok(first=first, first_root=first_root, second_root=second_root, proof=proof):
            return merkle.verify_consistency(
                first=first, second=second, first_root=first_root, second_root=second_root, proof=proof
            )

        assert not ok(first_root=flip(first_root, 5))
        assert not ok(second_root=flip(second_root, 5))
        assert not ok(proof=[*proof, second_root])
        for i in range(len(proof)):
            assert not ok(proof=[*proof[:i], flip(proof[i], 17), *proof[i + 1 :]])
        if first < second:
            assert not ok(proof=[])
            # a log that rewrote its last leaf cannot prove the old head to be a prefix
            assert not ok(second_root=merkle.root(other_leaves))
        if first > 1:
            assert not ok(first=first - 1)


def test_proofs_refuse_sizes_outside_the_tree():
    hashes = leaves(4)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(4, hashes)
    with pytest.raises(ValueError):
        merkle.consistency_proof(0, hashes)
    with pytest.raises(ValueError):
        merkle.consistency_proof(5, hashes)
    root = merkle.root(hashes)
    assert not merkle.verify_consistency(first=0, second=4, first_root=root, second_root=root, proof=[])
    assert not merkle.verify_consistency(first=5, second=4, first_root=root, second_root=root, proof=[])
