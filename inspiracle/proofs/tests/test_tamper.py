"""Any byte changed in a certificate is detected: by the shipped verifier run as a command, and by the check a
report runs on a cited certificate. REQ: WRK-10, RPT-3 throughout."""

import os
import subprocess
import sys
from pathlib import Path

from inspiracle.proofs import keys
from inspiracle.proofs.citation import certificate_cite
from inspiracle.proofs.services import tree_head_sign
from inspiracle.works.tests.test_upload import token_client

ROOT = Path(__file__).resolve().parents[3]


def _verifier(tmp_path: Path):
    """``inspiracle verify-proof`` in a process of its own, offline: the published key, no database."""
    pem = tmp_path / "key.pem"
    pem.write_text(keys.public_pem(keys.public_key()))
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(INSPIRACLE_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}")

    def run(raw: bytes) -> subprocess.CompletedProcess:
        path = tmp_path / "certificate.json"
        path.write_bytes(raw)
        command = [sys.executable, "-m", "inspiracle.cli", "verify-proof", str(path), "--key", str(pem)]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    return run


def _flip(raw: bytes, position: int) -> bytes:
    return raw[:position] + bytes([raw[position] ^ 0x01]) + raw[position + 1 :]


def test_the_shipped_verifier_accepts_a_certificate_and_rejects_any_changed_byte(submit, ana, tmp_path):
    """The command as an operator runs it, in a process of its own, with the published key. REQ: WRK-10"""
    submit(seed=41)
    work = submit(seed=42)
    tree_head_sign()
    raw = token_client(ana).get(f"/api/works/{work.pk}/certificate").content
    run = _verifier(tmp_path)
    accepted = run(raw)
    assert accepted.returncode == 0 and "certificate valid" in accepted.stdout, accepted.stderr[-2000:]

    # One process each (a Django start-up apiece): the leaf's SHA-256, the leaf hash, the index, the root and
    # the signature. Every other byte is flipped in-process below, through the same checks.
    text = raw.decode()
    marks = ['\\"sha256\\":', '"leaf_hash":', '"leaf_index":', '"root_hash":', '"signature":']
    for position in sorted(text.index(mark) + len(mark) + 2 for mark in marks):
        refused = run(_flip(raw, position))
        assert refused.returncode != 0, f"byte {position} changed and still accepted"
        assert "certificate INVALID" in refused.stderr or "Error" in refused.stderr


def test_the_report_check_refuses_every_changed_byte(submit, ana):
    """Every byte, one bit flipped: the check a report runs on a cited certificate names a reason for each.
    REQ: RPT-3, WRK-10"""
    work = submit(seed=43)
    tree_head_sign()
    raw = token_client(ana).get(f"/api/works/{work.pk}/certificate").content
    assert certificate_cite(raw).valid
    for position in range(len(raw)):
        check = certificate_cite(_flip(raw, position))
        assert not check.valid and check.reason, position
