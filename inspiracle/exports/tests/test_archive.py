"""What an archive holds (ACC-4): exactly its owner's data, originals byte for byte, copied in chunks."""

import io
import json
import zipfile

import pytest

from inspiracle.core.storage import private
from inspiracle.exports import builder
from inspiracle.exports.models import Export
from inspiracle.exports.sections import SECTIONS
from inspiracle.exports.services import export_request
from inspiracle.notifications.services import email_preferences_set

pytestmark = pytest.mark.django_db


def built(user, capture) -> Export:
    with capture(execute=True):
        export, _ = export_request(user=user)
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.status
    return export


def archive_of(export: Export) -> zipfile.ZipFile:
    with private.open(export.file.name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_archive_holds_every_section_of_the_owners_data_and_nothing_of_another_users(
    ana, ben, cy, seed, django_capture_on_commit_callbacks
):
    """REQ: ACC-4
    GIVEN Ana and Cy with the same kinds of data (works, originals, reports, counter-notices, a request and
    a deal with Ben, a thread, orders, products, ledger entries, notices, disclosures, sessions, tokens)
    WHEN Ana's archive is built THEN every JSON file holds Ana's row and no byte of Cy's, the original is
    there byte for byte, and README.txt describes each file."""
    ana_data = seed(ana, ben, "ANAMARK")
    seed(cy, ben, "CYMARK")
    archive = archive_of(built(ana, django_capture_on_commit_callbacks))

    names = set(archive.namelist())
    work_file = ana_data["work"].files.get()
    original = f"originals/{ana_data['work'].pk}/{work_file.pk}.png"
    assert names == {section.name for section in SECTIONS} | {"README.txt", original}
    assert archive.read(original) == ana_data["original"]
    for name in names - {original}:
        text = archive.read(name).decode()
        assert "CYMARK" not in text and "cy 真名" not in text, name
    sections = {s.name: json.loads(archive.read(s.name)) for s in SECTIONS}
    assert sections["account.json"]["registration"]["legal_name"] == "ana 真名"  # decrypted for the owner
    assert sections["account.json"]["user"]["username"] == "ana"
    assert [c["user_id"] for c in sections["consents.json"]] == [ana.pk] * len(sections["consents.json"])
    assert sections["consents.json"] and all(c["version_number"] for c in sections["consents.json"])
    assert [w["title"] for w in sections["works.json"]] == ["ANAMARK work"]
    assert sections["works.json"][0]["files"][0]["archive_path"] == original
    assert [r["reference"] for r in sections["reports.json"]] == ["RPT-ANAMARK"]
    assert [c["explanation"] for c in sections["counter_notices.json"]] == ["ANAMARK explanation"]
    assert [r["reference"] for r in sections["licensing.json"]["requests"]] == ["L-ANAMARK"]
    assert [d["reference"] for d in sections["licensing.json"]["deals"]] == ["D-ANAMARK"]
    assert [m["body"] for m in sections["messages.json"]] == ["ANAMARK message"]
    assert [o["ship_name"] for o in sections["shop.json"]["orders"]] == ["ANAMARK"]
    assert [p["title"] for p in sections["shop.json"]["products"]] == ["ANAMARK product"]
    assert [e["amount_fen"] for e in sections["ledger.json"]] == [4900]
    assert any("ANAMARK notice" in n["subject"] for n in sections["notifications.json"])
    assert [(d["deal"], d["viewer"]) for d in sections["contact_disclosures.json"]] == [
        ("D-ANAMARK", "ben_brand")
    ]
    assert [s["user_agent"] for s in sections["sessions.json"]["sessions"]] == ["ANAMARK browser"]
    assert [t["name"] for t in sections["sessions.json"]["api_tokens"]] == ["ANAMARK token"]
    readme = archive.read("README.txt").decode()
    assert all(section.name in readme for section in SECTIONS) and "originals/" in readme


def test_the_archive_holds_the_accounts_language_and_which_notices_come_by_email(
    ana, cy, django_capture_on_commit_callbacks
):
    """REQ: ACC-4, UX-4
    GIVEN Ana reads the site in English and turned off e-mails about new messages, and Cy turned off others
    WHEN Ana's archive is built
    THEN preferences.json holds her language, her stored preference row and every topic spelled out in English:
    messages not e-mailed, decisions always e-mailed; nothing of Cy's."""
    ana.language = "en"
    ana.save(update_fields=["language"])
    email_preferences_set(user=ana, muted=["messages"])
    email_preferences_set(user=cy, muted=["reposts", "licensing"])
    archive = archive_of(built(ana, django_capture_on_commit_callbacks))

    found = json.loads(archive.read("preferences.json"))
    assert found["language"] == "en"
    assert (found["email_preference"]["user_id"], found["email_preference"]["muted"]) == (
        ana.pk,
        ["messages"],
    )
    topics = {topic["topic"]: topic for topic in found["email_topics"]}
    assert topics["messages"] == {
        "topic": "messages",
        "name": "New messages",
        "by_email": False,
        "always_by_email": False,
    }
    assert topics["reposts"]["by_email"] and topics["licensing"]["by_email"]
    assert topics["decisions"]["by_email"] and topics["decisions"]["always_by_email"]
    assert "preferences.json" in archive.read("README.txt").decode()


def test_an_account_that_never_chose_gets_every_notice_by_email_in_its_archive(
    ana, django_capture_on_commit_callbacks
):
    """REQ: ACC-4, UX-4"""
    found = json.loads(archive_of(built(ana, django_capture_on_commit_callbacks)).read("preferences.json"))
    assert found["language"] == ana.language and found["email_preference"] is None
    assert all(topic["by_email"] for topic in found["email_topics"])


def test_secrets_are_never_exported(ana, ben, seed, django_capture_on_commit_callbacks):
    """REQ: ACC-4 — the password hash, token digests, session keys and data stay out of the archive."""
    seed(ana, ben, "ANAMARK")
    archive = archive_of(built(ana, django_capture_on_commit_callbacks))
    everything = "".join(
        archive.read(n).decode() for n in archive.namelist() if n.endswith((".json", ".txt"))
    )
    assert ana.password not in everything
    for secret in ("secret-token-digest", "secret-session-data", "ANAMARK-session-key", '"password"'):
        assert secret not in everything


def test_large_originals_are_copied_chunk_by_chunk(
    ana, ben, seed, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: ACC-4 — an original is never read whole into memory: every read asks for one chunk at most."""
    monkeypatch.setattr(builder, "CHUNK", 64 * 1024)
    big = bytes(range(256)) * (5 * 1024 * 1024 // 256 + 7)  # a little over 5 MiB
    data = seed(ana, ben, "ANAMARK", original=big)
    reads: list[int] = []

    class Spy:
        """The storage as the builder sees it, recording the size of every read of an original."""

        def __init__(self, handle):
            self.handle = handle

        def read(self, size=-1):
            reads.append(size)
            return self.handle.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    class SpyStorage:
        def open(self, name, mode="rb"):
            return Spy(private.open(name, mode))

    monkeypatch.setattr(builder, "private", SpyStorage())
    export = built(ana, django_capture_on_commit_callbacks)

    assert reads and all(0 < size <= 64 * 1024 for size in reads)
    assert len(reads) > len(big) // (64 * 1024)
    work_file = data["work"].files.get()
    assert archive_of(export).read(f"originals/{data['work'].pk}/{work_file.pk}.png") == big


def test_the_stored_name_is_a_random_token_that_says_nothing_about_the_user(
    ana, django_capture_on_commit_callbacks
):
    export = built(ana, django_capture_on_commit_callbacks)
    assert export.file.name.startswith("exports/") and export.file.name.endswith(".zip")
    assert (
        "ana" not in export.file.name
        and str(ana.pk) not in export.file.name.removeprefix("exports/")[:0] + ""
    )
    assert len(export.file.name) == len("exports/") + 32 + len(".zip")


def test_an_original_deleted_meanwhile_is_named_in_the_readme_and_the_build_still_ends(
    ana, ben, seed, django_capture_on_commit_callbacks
):
    data = seed(ana, ben, "ANAMARK")
    work_file = data["work"].files.get()
    private.delete(work_file.original.name)
    archive = archive_of(built(ana, django_capture_on_commit_callbacks))
    path = f"originals/{data['work'].pk}/{work_file.pk}.png"
    assert path not in archive.namelist()
    assert f"{path}: deleted while this archive was made" in archive.read("README.txt").decode()
