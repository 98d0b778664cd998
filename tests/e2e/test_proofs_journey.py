"""Proof of creation walked through in the browser (issue 13): a creator opens "Proof of creation" from her work's
page, downloads the certificate as JSON and as PDF, the shipped verifier accepts the JSON offline and rejects
a copy with one byte changed; the page does not scroll sideways at phone width (390 px).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from inspiracle.core.testing import make_user
from inspiracle.proofs import keys
from inspiracle.proofs.services import tree_head_sign
from tests.e2e.phone import fits_the_screen
from tests.e2e.test_review_journey import _awaiting_work, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser_context_args(locale="en-US")]
ROOT = Path(__file__).resolve().parents[2]


def _verify(tmp_path: Path, certificate: Path) -> subprocess.CompletedProcess:
    """``inspiracle verify-proof`` offline: its own process, the published key, no database."""
    pem = tmp_path / "key.pem"
    pem.write_text(keys.public_pem(keys.public_key()))
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(INSPIRACLE_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}")
    command = [sys.executable, "-m", "inspiracle.cli", "verify-proof", str(certificate), "--key", str(pem)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_a_creator_downloads_and_verifies_her_certificate(
    page: Page, new_context, site, tmp_path, screenshots_dir
):
    """REQ: WRK-10"""
    ana = make_user("ana")
    work = _awaiting_work(ana, "Heron at dusk", seed=71)
    tree_head_sign()  # the beat job's turn: certificates are served against signed tree heads only

    _sign_in(page, site, "ana", f"/works/{work.pk}/")
    page.get_by_role("link", name="Proof of creation").click()
    expect(page).to_have_url(f"{site}/proofs/works/{work.pk}/")
    expect(page.get_by_role("heading", name="Proof of creation", level=1)).to_be_visible()

    with page.expect_download() as json_download:
        page.get_by_role("link", name="Certificate (JSON)").click()
    certificate = tmp_path / "proof.json"
    json_download.value.save_as(certificate)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Certificate to print (PDF)").click()
    pdf = tmp_path / "proof.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(screenshots_dir / "proofs-certificates.png"), full_page=True)

    accepted = _verify(tmp_path, certificate)
    assert accepted.returncode == 0 and "certificate valid" in accepted.stdout, accepted.stderr[-2000:]
    raw = certificate.read_bytes()
    at = raw.index(b'"root_hash"') + len(b'"root_hash": "')
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(raw[:at] + (b"0" if raw[at : at + 1] != b"0" else b"1") + raw[at + 1 :])
    refused = _verify(tmp_path, tampered)
    assert refused.returncode != 0 and "certificate INVALID" in refused.stderr

    # Someone else gets "not found" for the same page.
    make_user("sam")
    other = new_context().new_page()
    _sign_in(other, site, "sam", "/works/mine/")
    assert other.goto(f"{site}/proofs/works/{work.pk}/").status == 404

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(phone, site, "ana", f"/proofs/works/{work.pk}/")
    fits_the_screen(phone)
    phone.goto(f"{site}/proofs/keys/")
    fits_the_screen(phone)
    phone.screenshot(path=str(screenshots_dir / "proofs-phone.png"), full_page=True)
