"""An approved request's export (PRV-5): exactly its scope in an archive sealed at rest, downloaded once by one of
its officers, then deleted; the affected users told unless notice is prohibited; every step audited."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.test import Client
from django.utils import timezone

from inspiracle.accounts.models import UserSession
from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.disclosure.models import DisclosureRequest
from inspiracle.disclosure.services.exports import export_build, export_download
from inspiracle.disclosure.services.requests import request_approve, request_withdraw
from inspiracle.notifications.models import Notification
from inspiracle.outbox.models import OutboxMessage
from inspiracle.works.models import Work

pytestmark = pytest.mark.django_db
OLD = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _session(user, ip: str, at: dt.datetime) -> None:
    UserSession.objects.create(
        session_key=f"{user.username}{ip}".replace(".", "x").ljust(40, "k")[:40],
        session_data="",
        expire_date=at + dt.timedelta(days=14),
        user=user,
        ref=ip.replace(".", "")[:16],
        ip=ip,
        created_at=at,
        last_seen_at=at,
    )


@pytest.fixture
def scene(ana, ben, published_work, recorded, lena, django_capture_on_commit_callbacks):
    """Ana has a work from this month and an old one; Ben (not in scope) has sessions too. Lee recorded a
    request for Ana's content and IP addresses over the last 30 days; Lena approved it; the job built it."""
    today = timezone.localdate()
    recent, old = published_work(seed=1), published_work(title="Old", seed=2)
    Work.objects.filter(pk=old.pk).update(uploaded_at=OLD, published_at=OLD)  # before the period
    _session(ana, "198.51.100.7", timezone.now())
    _session(ana, "198.51.100.99", OLD)
    _session(ben, "203.0.113.5", timezone.now())
    found = recorded(
        kinds=["content", "ip_addresses"], period_from=today - dt.timedelta(days=30), period_to=today
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(found=found, by=lena, reason="Court order checked")
    found.refresh_from_db()
    return found, recent, old


def _open(data: bytes) -> tuple[dict, set[str]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("disclosure.json")), set(archive.namelist())


def test_the_export_holds_exactly_the_accounts_kinds_and_period_in_scope(scene, lee, ana, fresh_storage):
    """REQ: PRV-5
    GIVEN a request for Ana's content and IP addresses over the last 30 days, approved WHEN Lee downloads the
    export THEN it holds Ana only, only those two kinds, only her work and sessions of the period, and the
    files of that work; no registration information, no publication times, nothing of Ben or the old work."""
    found, recent, old = scene
    assert found.status == "exported"
    sealed = found.export_file.open("rb").read()
    assert b"disclosure.json" not in sealed and b"PK\x03\x04" not in sealed[:64]  # sealed at rest
    answer = signed_in(lee).post(f"/staff/disclosure/{found.reference}/export/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert answer["Cache-Control"] == "private, no-store"
    content = answer.getvalue()  # streamed
    manifest, names = _open(content)
    [account] = manifest["accounts"]
    assert set(account) == {"username", "account_id", "works", "ip_addresses"}
    assert account["username"] == "ana"
    assert [work["id"] for work in account["works"]] == [recent.pk]
    files = {entry["archive_path"] for work in account["works"] for entry in work["files"]}
    assert names == {"disclosure.json"} | files and all(f"work-{recent.pk}/" in name for name in files)
    ips = account["ip_addresses"]
    assert [s["ip"] for s in ips["sessions"]] == ["198.51.100.7"]
    assert [u["work"] for u in ips["uploads"]] == ([recent.pk] if recent.upload_ip else [])
    events = AuditEvent.objects.filter(actor_id=ana.pk).exclude(ip="")
    assert len(ips["events"]) == events.filter(at__gte=timezone.now() - dt.timedelta(days=31)).count()
    assert "203.0.113.5" not in content.decode("latin-1")
    assert manifest["request"]["kinds"] == ["content", "ip_addresses"]


def test_the_export_is_downloaded_once_then_deleted_and_the_request_is_delivered(
    scene, lee, lena, ana, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: PRV-5"""
    found, _recent, _old = scene
    stored = fresh_storage / "private" / found.export_file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer = signed_in(lee).post(f"/staff/disclosure/{found.reference}/export/")
        assert answer.status_code == 200 and answer.streaming
        found.refresh_from_db()
        assert found.status == "delivered" and found.export_key == ""  # committed before the first byte
        assert stored.exists()  # read as it is streamed, then deleted
        assert zipfile.is_zipfile(io.BytesIO(answer.getvalue()))
    found.refresh_from_db()
    assert (found.status, found.delivered_by, found.export_file.name, found.export_key) == (
        "delivered",
        lee,
        "",
        "",
    )
    assert not stored.exists()
    again = signed_in(lena).post(f"/api/staff/disclosure/requests/{found.reference}/export")
    assert (again.status_code, again.json()["error"]["code"]) == (410, "already_delivered")
    assert "@lee" in again.json()["error"]["message"]
    page = signed_in(lena).get(f"/staff/disclosure/{found.reference}/").content.decode()
    assert "Delivered" in page and "downloaded by @lee" in page
    # Ana is told (inbox and e-mail), with who asked and under what law.
    notice = Notification.objects.get(user=ana, template="disclosure_delivered")
    assert notice.params["authority"] == "Beijing Municipal Public Security Bureau"
    assert OutboxMessage.objects.filter(kind="notifications.notice").exists()
    delivered = AuditEvent.objects.get(action="disclosure.delivered")
    assert delivered.actor_id == lee.pk and delivered.data["notified"] == ["ana"]
    assert delivered.data["notice_prohibited"] is False
    steps = list(
        AuditEvent.objects.filter(action__startswith="disclosure.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert steps == [
        "disclosure.recorded",
        "disclosure.approved",
        "disclosure.exported",
        "disclosure.delivered",
    ]


def test_when_notice_is_prohibited_nobody_is_told_and_the_audit_says_so(
    ana, lee, ada, recorded, django_capture_on_commit_callbacks
):
    """REQ: PRV-5"""
    found = recorded(notice_prohibited=True, kinds=["registration"])
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(found=found, by=ada, reason="Checked")
    found.refresh_from_db()
    manifest, names = _open(b"".join(export_download(found=found, by=ada)))
    assert names == {"disclosure.json"}
    assert manifest["accounts"][0]["registration"]["legal_name"] == "ana 真名"
    assert not Notification.objects.filter(template="disclosure_delivered").exists()
    delivered = AuditEvent.objects.get(action="disclosure.delivered")
    assert delivered.data["notice_prohibited"] is True and delivered.data["notified"] == []
    recorded_event = AuditEvent.objects.get(action="disclosure.recorded")
    assert recorded_event.data["notice_prohibited"] is True


def test_only_the_two_officers_of_the_request_may_download(scene, ada):
    found, _recent, _old = scene
    with pytest.raises(ApplicationError) as caught:
        export_download(found=found, by=ada)
    assert caught.value.code == "not_an_officer"
    found.refresh_from_db()
    assert found.status == "exported"


def test_withdrawing_an_exported_request_deletes_its_export(
    scene, lee, fresh_storage, django_capture_on_commit_callbacks
):
    found, _recent, _old = scene
    stored = fresh_storage / "private" / found.export_file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        request_withdraw(found=found, by=lee, reason="Withdrawn by the authority.")
    found.refresh_from_db()
    assert found.status == "withdrawn" and not found.export_file and not stored.exists()
    with pytest.raises(ApplicationError) as caught:
        export_download(found=found, by=lee)
    assert caught.value.code == "invalid_state"


def test_the_job_run_twice_builds_one_export(scene, fresh_storage):
    found, _recent, _old = scene
    assert export_build(found.pk) == "skipped"
    assert len(list((fresh_storage / "private" / "disclosure" / "exports").iterdir())) == 1
    assert DisclosureRequest.objects.get().exported_at == found.exported_at


def test_only_sessions_begun_and_last_seen_in_the_period_give_their_ip(ana):
    """REQ: PRV-5 (review finding 4): a session's IP is its latest, so one that overlaps the period's edges
    would export an address (and a last_seen_at) from outside it."""
    from inspiracle.disclosure.scope import _bounds, _ip_addresses

    start, end = _bounds(dt.date(2024, 5, 1), dt.date(2024, 5, 31))

    def session(ip: str, began: dt.datetime, seen: dt.datetime) -> None:
        _session(ana, ip, began)
        UserSession.objects.filter(ip=ip).update(last_seen_at=seen)

    session("198.51.100.1", start + dt.timedelta(days=1), start + dt.timedelta(days=2))  # inside
    session("198.51.100.2", start - dt.timedelta(days=1), start + dt.timedelta(days=2))  # began before
    session("198.51.100.3", start + dt.timedelta(days=1), end + dt.timedelta(days=1))  # seen after
    session("198.51.100.4", start - dt.timedelta(days=1), end + dt.timedelta(days=1))  # spans it
    sessions = _ip_addresses(ana, start, end)["sessions"]
    assert [s["ip"] for s in sessions] == ["198.51.100.1"]
    assert all(start <= dt.datetime.fromisoformat(s["last_seen_at"]) < end for s in sessions)


@pytest.fixture
def small_chunks(monkeypatch):
    """Seal in 64-byte chunks, so a small export spans many; records the largest plaintext sealed at once."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from inspiracle.disclosure.services import exports

    monkeypatch.setattr(exports, "CHUNK", 64)
    sizes: list[int] = []
    encrypt = AESGCM.encrypt

    def recording(self, nonce, data, aad):
        if aad and aad.startswith(b"disclosure-export:"):  # the export's seals, not the key ring's
            sizes.append(len(data))
        return encrypt(self, nonce, data, aad)

    monkeypatch.setattr(AESGCM, "encrypt", recording)
    return sizes


@pytest.fixture
def chunked(recorded, lena, small_chunks, fresh_storage, django_capture_on_commit_callbacks):
    found = recorded(kinds=["registration"])
    with django_capture_on_commit_callbacks(execute=True):
        request_approve(found=found, by=lena, reason="Checked")
    found.refresh_from_db()
    return found, fresh_storage / "private" / found.export_file.name


def test_the_export_is_sealed_and_opened_chunk_by_chunk(chunked, small_chunks, lee):
    """REQ: PRV-5 (review finding 3): never one AES-GCM call over the whole ZIP (2 GiB limit, memory)."""
    found, stored = chunked
    assert found.export_size > 3 * 64 and max(small_chunks) <= 64 and len(small_chunks) > 3
    assert stored.stat().st_size == 4 + 7 + found.export_size + 16 * len(small_chunks)
    stream = export_download(found=found, by=lee)
    parts = list(stream)
    assert len(parts) == len(small_chunks) and max(map(len, parts)) <= 64
    manifest, names = _open(b"".join(parts))
    assert names == {"disclosure.json"} and manifest["accounts"][0]["username"] == "ana"
    assert not stored.exists()


@pytest.mark.parametrize("damage", ["cut_at_a_chunk", "reordered", "flipped"])
def test_a_cut_reordered_or_altered_export_stops_the_stream(chunked, lee, damage):
    """REQ: PRV-5 (review finding 3): each chunk's position and last flag are bound, so dropping the final
    chunk(s) or swapping two fails, and no altered byte is sent."""
    from inspiracle.core.crypto import DecryptionError

    found, stored = chunked
    data, size = stored.read_bytes(), 64 + 16
    head, body = data[:11], data[11:]
    blocks = [body[i : i + size] for i in range(0, len(body), size)]
    if damage == "cut_at_a_chunk":
        blocks = blocks[:-1]
    elif damage == "reordered":
        blocks[0], blocks[1] = blocks[1], blocks[0]
    else:
        blocks[1] = blocks[1][:5] + bytes([blocks[1][5] ^ 1]) + blocks[1][6:]
    stored.write_bytes(head + b"".join(blocks))
    sent = []
    with pytest.raises(DecryptionError):
        for part in export_download(found=found, by=lee):
            sent.append(part)
    assert len(sent) <= 1 if damage != "cut_at_a_chunk" else len(sent) == len(blocks) - 1
    assert not stored.exists()  # the delivery stands (the key is gone) and the ciphertext is deleted
