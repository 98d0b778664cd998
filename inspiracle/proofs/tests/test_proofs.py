"""The proof-of-creation log: appended on acceptance, certificates verified offline, tampering detected.
REQ: WRK-10 throughout."""

import dataclasses
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from inspiracle.proofs import keys, services
from inspiracle.proofs.bundle import ProofInvalid, verify_bundle
from inspiracle.proofs.models import ProofLeaf, TreeHead
from inspiracle.proofs.services import proofs_verify, tree_head_sign
from inspiracle.similarity import merkle
from inspiracle.works.models import WorkFile
from inspiracle.works.tests.test_upload import token_client


def certificate(client, work) -> bytes:
    tree_head_sign()  # what the beat job does every minute: certificates come against signed heads only
    response = client.get(f"/api/works/{work.pk}/certificate")
    assert response.status_code == 200, response.content
    return response.content


def original(work) -> bytes:
    row = WorkFile.objects.get(work=work)
    with row.original.open("rb") as handle:
        return handle.read()


def _tamper(table: str, sql: str, params: list) -> None:
    """An attacker with database access: triggers dropped, a row changed behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            cursor.execute(f"DROP TRIGGER {table}_no_update")
            cursor.execute(sql, params)


def test_an_accepted_file_is_appended_and_its_certificate_verifies_offline(submit, ana, tmp_path):
    """REQ: WRK-10"""
    first, work = submit(seed=1), submit(seed=2)
    leaves = list(ProofLeaf.objects.order_by("index"))
    assert [leaf.index for leaf in leaves] == [0, 1]
    assert [leaf.work_id for leaf in leaves] == [first.pk, work.pk]
    raw = certificate(token_client(ana), work)
    result = verify_bundle(raw, public_key=keys.public_key(), image=original(work))
    leaf = json.loads(json.loads(raw)["leaf"])
    assert result.leaf_index == 1 and result.tree_size == 2 and result.image_checked
    assert leaf["owner"] == ana.pk and leaf["sha256"] == WorkFile.objects.get(work=work).sha256
    assert len(leaf["keys"]) >= 1 and len(leaf["phash"]) == 16

    # The shipped verifier, with the key as published and the original file.
    path, image, pem = tmp_path / "certificate.json", tmp_path / "original.png", tmp_path / "key.pem"
    path.write_bytes(raw)
    image.write_bytes(original(work))
    pem.write_text(token_client(ana).get("/api/proofs/key").json()["pem"])
    call_command("verify_proof", str(path), image=str(image), key=str(pem))
    image.write_bytes(original(first))
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("verify_proof", str(path), image=str(image), key=str(pem))


def test_flipping_any_byte_of_a_certificate_is_detected(submit, ana):
    """REQ: WRK-10"""
    work = submit(seed=3)
    raw = certificate(token_client(ana), work)
    public = keys.public_key()
    verify_bundle(raw, public_key=public)
    for position in range(len(raw)):
        for bit in (0x01, 0x20):
            tampered = raw[:position] + bytes([raw[position] ^ bit]) + raw[position + 1 :]
            with pytest.raises(ProofInvalid):
                verify_bundle(tampered, public_key=public)
    with pytest.raises(ProofInvalid, match="another key"):
        verify_bundle(raw, public_key=keys._private_from(keys.new_signing_key_pem()).public_key())


def test_only_the_owner_gets_a_certificate(submit, ben):
    """REQ: WRK-10"""
    work = submit(seed=4)
    response = token_client(ben).get(f"/api/works/{work.pk}/certificate")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_public_key_tree_heads_and_consistency_proofs(submit, client):
    """REQ: WRK-10"""
    submit(seed=5)
    small = tree_head_sign()
    submit(seed=6)
    submit(seed=7)
    large = tree_head_sign()
    assert tree_head_sign() == large  # nothing grew: no new head
    assert (small.tree_size, large.tree_size) == (1, 3)

    key = client.get("/api/proofs/key").json()
    assert key["key_id"] == keys.key_id(keys.load_public_pem(key["pem"].encode()))
    heads = client.get("/api/proofs/tree-heads").json()
    assert heads["latest"]["tree_size"] == 3
    assert [head["tree_size"] for head in heads["tree_heads"]] == [3, 1]

    proof = client.get("/api/proofs/consistency", {"first": 1, "second": 3}).json()["proof"]
    assert merkle.verify_consistency(
        first=1,
        second=3,
        first_root=bytes.fromhex(small.root_hash),
        second_root=bytes.fromhex(large.root_hash),
        proof=[bytes.fromhex(node) for node in proof],
    )
    unsigned = client.get("/api/proofs/consistency", {"first": 2, "second": 3})
    assert unsigned.status_code == 400 and unsigned.json()["error"]["code"] == "no_tree_head"


def test_the_log_is_append_only(submit):
    """REQ: WRK-10"""
    submit(seed=8)
    tree_head_sign()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        ProofLeaf.objects.update(leaf="{}")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        TreeHead.objects.update(root_hash="0" * 64)


def test_the_log_check_names_the_first_bad_entry(submit):
    """REQ: WRK-10"""
    for seed in (9, 10, 11):
        submit(seed=seed)
    tree_head_sign()
    call_command("verify_proofs")
    assert proofs_verify().leaves == 3
    leaf = ProofLeaf.objects.get(index=1)
    _tamper(
        "proofs_proofleaf",
        "UPDATE proofs_proofleaf SET leaf = %s WHERE id = %s",
        [leaf.leaf.replace('"owner":', '"owner":1'), leaf.pk],
    )
    with pytest.raises(CommandError, match="leaf #1 does not match its leaf hash"):
        call_command("verify_proofs")


def test_a_rewritten_leaf_with_a_matching_hash_breaks_the_signed_root(submit):
    """An attacker who recomputes the leaf hash still cannot match the signed root. REQ: WRK-10"""
    for seed in (12, 13):
        submit(seed=seed)
    tree_head_sign()
    leaf = ProofLeaf.objects.get(index=0)
    forged = leaf.leaf.replace('"version":1', '"version":1 ')
    _tamper(
        "proofs_proofleaf",
        "UPDATE proofs_proofleaf SET leaf = %s, leaf_hash = %s WHERE id = %s",
        [forged, merkle.leaf_hash(forged.encode()).hex(), leaf.pk],
    )
    report = proofs_verify()
    assert "tree head at size 2: its root differs" in report.problem


def test_a_removed_leaf_is_named(submit):
    """REQ: WRK-10"""
    for seed in (14, 15, 16):
        submit(seed=seed)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE proofs_proofleaf DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM proofs_proofleaf WHERE " + connection.ops.quote_name("index") + " = 2")
    assert "leaves removed" in proofs_verify().problem
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM proofs_proofleaf WHERE " + connection.ops.quote_name("index") + " = 0")
    assert proofs_verify().problem == "leaf #0 is missing (next is #1)"


def test_the_beat_job_signs_a_tree_head_when_the_log_grew(submit):
    """REQ: WRK-10"""
    from inspiracle.proofs.tasks import sign_tree_head

    sign_tree_head.delay()
    assert not TreeHead.objects.exists()
    submit(seed=17)
    sign_tree_head.delay()
    sign_tree_head.delay()
    assert list(TreeHead.objects.values_list("tree_size", flat=True)) == [1]


def test_a_certificate_waits_for_a_signed_tree_head_and_the_request_signs_none(submit, ana, client_for):
    """Signing reads the whole log under its lock: never in a reader's request. Until the beat job signs a
    head covering the file, a 503 with Retry-After says to come back. REQ: WRK-10"""
    work = submit(seed=18)
    client = token_client(ana)
    early = client.get(f"/api/works/{work.pk}/certificate")
    assert early.status_code == 503 and early["Retry-After"] == "60"
    assert early.json()["error"]["code"] == "not_signed_yet"
    assert "has not yet signed a head covering this file" in early.json()["error"]["message"]
    assert not TreeHead.objects.exists()
    page = client_for(ana).get(f"/proofs/works/{work.pk}/files/{WorkFile.objects.get(work=work).pk}.json")
    assert page.status_code == 503 and page["Retry-After"] == "60"
    tree_head_sign()
    assert client.get(f"/api/works/{work.pk}/certificate").status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"first": 2**70, "second": 2**70}, {"first": 1, "second": 2**63}, {"first": -1, "second": 1}],
)
def test_sizes_out_of_range_are_refused_with_a_field_error(submit, client, query):
    """2**70 made SQLite raise OverflowError (a 500). REQ: WRK-10"""
    submit(seed=19)
    tree_head_sign()
    response = client.get("/api/proofs/consistency", query)
    assert response.status_code == 422 and response.json()["error"]["fields"]
    assert services.consistency(first=2**70, second=2**70) is None
    assert services.consistency(first=1, second=2**70) is None


def test_a_file_id_out_of_range_is_refused_with_a_field_error(submit, ana):
    """REQ: WRK-10"""
    work = submit(seed=20)
    tree_head_sign()
    response = token_client(ana).get(f"/api/works/{work.pk}/certificate", {"file": 2**70})
    assert response.status_code == 422 and "file" in response.json()["error"]["fields"]


def test_consistency_proofs_are_rate_limited_per_network(submit, client, monkeypatch):
    """Public, and each answer reads up to the whole log: limited per network. REQ: WRK-10"""
    from inspiracle.proofs import api

    monkeypatch.setattr(api, "CONSISTENCY_LIMIT", dataclasses.replace(api.CONSISTENCY_LIMIT, hits=2))
    submit(seed=21)
    tree_head_sign()
    query = {"first": 1, "second": 1}
    assert [client.get("/api/proofs/consistency", query).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/proofs/consistency", query)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"
