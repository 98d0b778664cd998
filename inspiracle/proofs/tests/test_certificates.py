"""A creator's certificates in the pages and the API (JSON and PDF), who may download them, and the signing keys
after a rotation. REQ: WRK-10 throughout."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from inspiracle.core.testing import make_user
from inspiracle.proofs import keys
from inspiracle.proofs.bundle import verify_bundle
from inspiracle.proofs.services import proofs_verify, tree_head_sign
from inspiracle.works.models import WorkFile
from inspiracle.works.services import work_delete


def _paths(work) -> dict[str, str]:
    file_id = WorkFile.objects.get(work=work).pk
    return {
        "page": f"/proofs/works/{work.pk}/",
        "json": f"/proofs/works/{work.pk}/files/{file_id}.json",
        "pdf": f"/proofs/works/{work.pk}/files/{file_id}.pdf",
        "api_json": f"/api/works/{work.pk}/certificate",
        "api_pdf": f"/api/works/{work.pk}/certificate.pdf",
    }


def test_the_owner_finds_the_certificates_from_the_work_page_and_downloads_both(submit, ana, client_for):
    """REQ: WRK-10"""
    work = submit(seed=21)
    tree_head_sign()
    client, paths = client_for(ana), _paths(work)
    assert paths["page"] in client.get(f"/works/{work.pk}/").content.decode()
    page = client.get(paths["page"]).content.decode()
    assert paths["json"] in page and paths["pdf"] in page and WorkFile.objects.get(work=work).sha256 in page

    raw = client.get(paths["json"])
    file_id = WorkFile.objects.get(work=work).pk
    assert raw["Content-Disposition"] == f'attachment; filename="proof-{work.pk}-{file_id}.json"'
    result = verify_bundle(raw.content, public_key=keys.public_key())
    assert result.leaf["work"] == work.pk and result.leaf["owner"] == ana.pk
    pdf = client.get(paths["pdf"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    api_pdf = client.get(paths["api_pdf"])
    assert api_pdf.status_code == 200 and api_pdf.content.startswith(b"%PDF")


def test_a_file_not_in_the_log_yet_says_so(submit, ana, client_for):
    """REQ: WRK-10"""
    work = submit(seed=22)
    file = WorkFile.objects.get(work=work)
    other = make_user("sam")
    # A second accepted file that has no leaf (as before the log existed): listed, without certificate links.
    WorkFile.objects.filter(pk=file.pk).update(position=1)
    late = WorkFile.objects.create(
        work=work, original_name="late.png", size=1, status="ready", sha256="a" * 64, phash=1, dhash=2
    )
    page = client_for(ana).get(f"/proofs/works/{work.pk}/").content.decode()
    assert "late.png" in page and "not in the proof log yet" in page
    missing = client_for(ana).get(f"/proofs/works/{work.pk}/files/{late.pk}.json")
    assert missing.status_code == 404
    assert client_for(other).get(f"/proofs/works/{work.pk}/").status_code == 404


ROLES = ("visitor", "owner", "other_creator", "moderator", "legal_officer", "admin")
# Who may download a work's certificate: its owner, and staff who handle reports; the rest get "not found".
EXPECTED = {
    "visitor": 404,
    "owner": 200,
    "other_creator": 404,
    "moderator": 404,
    "legal_officer": 200,
    "admin": 200,
}


@pytest.fixture
def clients(ana, ben, mo, lee, ada, client_for):
    return {
        "visitor": Client(),
        "owner": client_for(ana),
        "other_creator": client_for(ben),
        "moderator": client_for(mo),
        "legal_officer": client_for(lee),
        "admin": client_for(ada),
    }


def test_certificate_access_matrix(submit, clients):
    """Role x object (an awaiting work, a deleted one) x action (page, JSON, PDF, API JSON, API PDF).
    REQ: WRK-10, PRV-3"""
    live, gone = submit(seed=23), submit(seed=24)
    tree_head_sign()
    gone_paths = _paths(gone)
    work_delete(actor=gone.owner, work=gone)
    found = {}
    for role in ROLES:
        for name, work_paths in (("live", _paths(live)), ("deleted", gone_paths)):
            for action, path in work_paths.items():
                found[(role, name, action)] = clients[role].get(path).status_code
    expected = {}
    for role in ROLES:
        for action in _paths(live):
            expected[(role, "live", action)] = EXPECTED[role]
            # A deleted work: gone for its owner too; staff who handle reports still reach its evidence.
            expected[(role, "deleted", action)] = 200 if role in ("legal_officer", "admin") else 404
            if role == "visitor" and action.startswith("api"):
                # The API asks a visitor for credentials first: the same answer for any work id.
                expected[(role, "live", action)] = expected[(role, "deleted", action)] = 401
    assert found == expected


def test_the_not_found_answer_does_not_tell_an_existing_work_from_none(submit, ben, client_for):
    """REQ: WRK-10, PRV-3"""
    work = submit(seed=25)
    client = client_for(ben)
    theirs, none = (
        client.get(f"/api/works/{work.pk}/certificate.pdf"),
        client.get("/api/works/999999/certificate.pdf"),
    )
    assert theirs.status_code == none.status_code == 404
    assert theirs.json() == none.json()


def test_a_rotated_key_keeps_old_certificates_verifiable(submit, ana, client_for, settings, tmp_path, client):
    """GIVEN certificates signed with the first key
    WHEN the operator introduces a new signing key and lists the old public key as retired
    THEN old certificates still verify (by the key they name), new tree heads use the new key, the log check
    passes and both keys are published with the span of tree heads each signed. REQ: WRK-10"""
    first = submit(seed=26)
    tree_head_sign()
    old_raw = client_for(ana).get(f"/api/works/{first.pk}/certificate").content
    old_pem = keys.public_pem(keys.public_key())
    settings.PROOF_SIGNING_KEY = keys.new_signing_key_pem()
    settings.PROOF_RETIRED_KEYS = old_pem
    second = submit(seed=27)
    tree_head_sign()
    new_raw = client_for(ana).get(f"/api/works/{second.pk}/certificate").content
    assert json.loads(new_raw)["key_id"] == keys.key_id(keys.public_key()) != json.loads(old_raw)["key_id"]
    assert proofs_verify().intact
    path = tmp_path / "old.json"
    path.write_bytes(old_raw)
    call_command("verify_proof", str(path))  # the installation's retired key, named by the certificate

    listed = client.get("/api/proofs/keys").json()["items"]
    assert [k["current"] for k in listed] == [True, False]
    assert listed[1]["pem"] == old_pem and listed[1]["first_signed_at"] and listed[0]["first_signed_at"]
    page = client.get("/proofs/keys/").content.decode()
    assert listed[0]["key_id"] in page and listed[1]["key_id"] in page
