"""What an approved request's export holds (PRV-5): exactly its scope, nothing beyond it. Only the accounts it
names, only the kinds of data it lists, only what falls in its period (Beijing calendar days, both included).

Registration information has no date of its own: it is given as held when the export is built, and said so.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from inspiracle.accounts.models import RegistrationInfo, User, UserSession
from inspiracle.audit.models import AuditEvent
from inspiracle.disclosure.models import DataKind, DisclosureRequest
from inspiracle.works.models import Work, WorkFile


@dataclass(frozen=True)
class ArchiveFile:
    """A stored work file to copy into the archive under ``path``."""

    path: str
    file: WorkFile


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in the site's time zone (Asia/Shanghai)."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), zone)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), zone)
    return start, end


def _at(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _registration(user: User, built_at: datetime) -> dict | None:
    info = RegistrationInfo.objects.filter(user=user).first()
    return {
        "as_held_at": built_at.isoformat(),
        "account_type": user.kind,
        "registered_at": user.date_joined.isoformat(),
        "legal_name": info.legal_name if info else None,
        "mailing_address": info.mailing_address if info else None,
        "mobile": info.mobile if info else None,
        "landline": (info.landline or None) if info else None,
        "email": (info.email or None) if info else None,
    }


def _content(user: User, start: datetime, end: datetime) -> tuple[list[dict], list[ArchiveFile]]:
    works = Work.objects.filter(owner=user, uploaded_at__gte=start, uploaded_at__lt=end).prefetch_related(
        "files"
    )
    rows, files = [], []
    for work in works.order_by("uploaded_at", "pk"):
        entries = []
        for stored in work.files.all():
            path = None
            if stored.original:
                path = f"files/work-{work.pk}/file-{stored.pk}.{(stored.format or 'bin').lower()}"
                files.append(ArchiveFile(path, stored))
            entries.append(
                {"id": stored.pk, "name": stored.original_name, "size": stored.size, "sha256": stored.sha256}
                | {"uploaded_at": stored.uploaded_at.isoformat(), "archive_path": path}
            )
        rows.append(
            {
                "id": work.pk,
                "title": work.title,
                "description": work.description,
                "category": work.category,
                "status": work.status,
                "uploaded_at": work.uploaded_at.isoformat(),
                "files": entries,
            }
        )
    return rows, files


def _publications(user: User, start: datetime, end: datetime) -> list[dict]:
    works = Work.objects.filter(owner=user, published_at__gte=start, published_at__lt=end)
    return [
        {"work": work.pk, "title": work.title, "published_at": _at(work.published_at)}
        for work in works.order_by("published_at", "pk")
    ]


def _ip_addresses(user: User, start: datetime, end: datetime) -> dict:
    events = AuditEvent.objects.filter(actor_id=user.pk, at__gte=start, at__lt=end).exclude(ip="")
    # A session's IP is overwritten on every save (its latest address), so a session that merely overlaps the
    # period may carry an address and a last_seen_at from outside it. Only a session that both began and was
    # last seen inside the period is sure to hold an address used in the period; we keep those (rather than
    # dropping sessions) because they are the only record of sign-ins not otherwise audited. The audit events
    # and uploads above and below each carry their own moment and cover the rest.
    sessions = UserSession.objects.filter(
        user=user, created_at__gte=start, created_at__lt=end, last_seen_at__gte=start, last_seen_at__lt=end
    ).exclude(ip="")
    uploads = Work.objects.filter(owner=user, uploaded_at__gte=start, uploaded_at__lt=end).filter(
        ~Q(upload_ip=None)
    )
    return {
        "events": [
            {"at": e.at.isoformat(), "action": e.action, "ip": e.ip}
            for e in events.order_by("seq").only("at", "action", "ip")
        ],
        "sessions": [
            {"ip": s.ip, "began_at": s.created_at.isoformat(), "last_seen_at": s.last_seen_at.isoformat()}
            for s in sessions.order_by("created_at").only("ip", "created_at", "last_seen_at")
        ],
        "uploads": [
            {"work": w.pk, "uploaded_at": w.uploaded_at.isoformat(), "ip": w.upload_ip}
            for w in uploads.order_by("uploaded_at", "pk").only("uploaded_at", "upload_ip")
        ],
    }


def export_contents(found: DisclosureRequest, built_at: datetime) -> tuple[dict, list[ArchiveFile]]:
    """The archive's ``disclosure.json`` and the files that go with it."""
    start, end = _bounds(found.period_from, found.period_to)
    kinds = set(found.kinds)
    accounts, files = [], []
    for user in found.accounts.order_by("username"):
        entry: dict = {"username": user.username, "account_id": user.pk}
        if DataKind.REGISTRATION in kinds:
            entry["registration"] = _registration(user, built_at)
        if DataKind.CONTENT in kinds:
            entry["works"], more = _content(user, start, end)
            files.extend(more)
        if DataKind.PUBLICATION_TIMES in kinds:
            entry["publications"] = _publications(user, start, end)
        if DataKind.IP_ADDRESSES in kinds:
            entry["ip_addresses"] = _ip_addresses(user, start, end)
        accounts.append(entry)
    manifest = {
        "request": {
            "reference": found.reference,
            "authority": found.authority,
            "authority_reference": found.authority_reference,
            "legal_basis": found.legal_basis,
            "kinds": found.kinds,
            "period": {
                "from": found.period_from.isoformat(),
                "to": found.period_to.isoformat(),
                "time_zone": str(timezone.get_default_timezone()),
            },
            "approved_at": _at(found.approved_at),
        },
        "built_at": built_at.isoformat(),
        "accounts": accounts,
    }
    return manifest, files


def file_chunks(entry: ArchiveFile) -> Iterator[bytes]:
    with entry.file.original.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            yield chunk
