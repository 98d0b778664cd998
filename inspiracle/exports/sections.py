"""What an archive holds (ACC-4): one JSON file per section, each read from the app that owns the data.

Each section is a step of the build (the page shows steps done / total) with the sentence README.txt says
about it. Rows are written field by field, foreign keys as ids, so nothing is lost in translation; fields
that are secrets (password and token digests, the session key, a second factor's seed), internal indexes
(blind indexes, similarity hashes' claims) or storage names are left out on purpose. Only rows *about the
user* are read: theirs, or where they are a party (a deal, a thread), never a filter that could match another
user's rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import translation

from inspiracle.accounts.models import ApiToken, RecoveryCode, RegistrationInfo, TotpDevice, User, UserSession
from inspiracle.agreements.models import Consent
from inspiracle.licensing.models import ContactDisclosure, Deal, LicenceRequest
from inspiracle.messaging.models import Message, Participant
from inspiracle.notifications.models import EmailPreference, Notification
from inspiracle.notifications.preferences import TOPICS
from inspiracle.reports.models import CounterNotice, Report, RightsHolderProfile
from inspiracle.shop.models import LedgerEntry, Order, Payout, Product
from inspiracle.works.models import Work, WorkFile

# Never exported: secrets, lookup indexes, workers' bookkeeping, storage names (files go in originals/).
SKIPPED = frozenset(
    {
        "password",
        "digest",
        "session_key",
        "session_data",
        "secret",
        "access_token",
        "mobile_index",
        "email_index",
        "display_name_skeleton",
        "avatar_keys",
        "claimed_by",
        "claimed_at",
        "timings",
        "attempts",
    }
)


def row(obj: models.Model, **extra: Any) -> dict[str, Any]:
    """A model instance's fields as JSON-ready values (the encoder writes dates in ISO 8601)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED or isinstance(field, models.FileField):
            continue
        data[field.attname] = getattr(obj, field.attname)
    data.update(extra)
    return data


def rows(objects: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [row(obj) for obj in objects]


def original_path(file: WorkFile) -> str:
    """Where a work's original sits in the archive: ids and the format, never the uploaded name (it is
    in works.json), so every member name is safe on every system."""
    return f"originals/{file.work_id}/{file.pk}.{(file.format or 'bin').lower()}"


def account(user: User) -> dict[str, Any]:
    registration = RegistrationInfo.objects.filter(user=user).first()
    totp = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return {
        "user": row(user),
        # Decrypted for the owner (PRV-1): the archive is theirs alone.
        "registration": row(registration) if registration else None,
        "two_factor": {"enabled": totp is not None, "confirmed_at": totp.confirmed_at if totp else None},
        "recovery_codes_unused": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
        "rights_holder_profiles": rows(RightsHolderProfile.objects.filter(owner=user)),
    }


def profile(user: User) -> dict[str, Any] | None:
    found = getattr(user, "profile", None)
    return row(found, has_avatar=bool(found.avatar)) if found else None


def consents(user: User) -> list[dict[str, Any]]:
    found = Consent.objects.filter(user=user).select_related("version__document").order_by("accepted_at")
    return [
        row(
            consent,
            document=consent.version.document.slug,
            version_number=consent.version.number,
            version_effective_date=consent.version.effective_date,
        )
        for consent in found
    ]


def works(user: User) -> list[dict[str, Any]]:
    found = Work.objects.filter(owner=user).prefetch_related("tags", "files").order_by("pk")
    return [
        row(
            work,
            tags=[tag.name for tag in work.tags.all()],
            files=[
                row(file, archive_path=original_path(file) if file.original else None)
                for file in work.files.all()
            ],
        )
        for work in found
    ]


def originals(user: User) -> list[WorkFile]:
    """The user's stored originals (the build copies them chunk by chunk)."""
    return [file for file in WorkFile.objects.filter(work__owner=user).order_by("pk") if file.original]


def reports(user: User) -> list[dict[str, Any]]:
    found = Report.objects.filter(reporter=user).prefetch_related("items").order_by("pk")
    return [row(report, items=rows(report.items.all())) for report in found]


def counter_notices(user: User) -> list[dict[str, Any]]:
    found = CounterNotice.objects.filter(uploader=user).select_related("item__report").order_by("pk")
    return [row(notice, report=notice.item.report.reference, item_url=notice.item.url) for notice in found]


def licensing(user: User) -> dict[str, Any]:
    requests = (
        LicenceRequest.objects.filter(Q(requester=user) | Q(creator=user))
        .prefetch_related("proposals", "works")
        .order_by("pk")
    )
    deals = Deal.objects.filter(Q(licensor=user) | Q(licensee=user)).prefetch_related("works").order_by("pk")
    return {
        "requests": [
            row(r, work_ids=[w.pk for w in r.works.all()], proposals=rows(r.proposals.all()))
            for r in requests
        ],
        "deals": [row(d, work_ids=[w.pk for w in d.works.all()]) for d in deals],
    }


def messages(user: User) -> list[dict[str, Any]]:
    """The threads the user takes part in, with every message the user sent or received in them. A message
    staff hid is listed without its text unless the user wrote it."""
    threads = Participant.objects.filter(user=user).values("thread_id")
    found = (
        Message.objects.filter(thread_id__in=threads)
        .select_related("sender", "thread")
        .prefetch_related("attachments")
        .order_by("thread_id", "pk")
    )
    out = []
    for message in found:
        shown = message.sender_id == user.pk or message.hidden_at is None
        out.append(
            {
                "thread_id": message.thread_id,
                "thread_topic": message.thread.topic,
                "id": message.pk,
                "sender": message.sender.username,
                "sent_by_you": message.sender_id == user.pk,
                "body": message.body if shown else None,
                "created_at": message.created_at,
                "hidden_at": message.hidden_at,
                "attachments": [
                    {"name": a.name, "content_type": a.content_type, "size": a.size}
                    for a in message.attachments.all()
                ],
            }
        )
    return out


def shop(user: User) -> dict[str, Any]:
    orders = Order.objects.filter(buyer=user).prefetch_related("lines").order_by("pk")
    return {
        "orders": [row(order, lines=rows(order.lines.all())) for order in orders],
        "products": rows(Product.objects.filter(maker=user).order_by("pk")),
        "payouts": rows(Payout.objects.filter(creator=user).order_by("pk")),
    }


def ledger(user: User) -> list[dict[str, Any]]:
    found = LedgerEntry.objects.filter(account__owner=user).select_related("transaction", "account")
    return [
        row(
            entry,
            account_kind=entry.account.kind,
            transaction_kind=entry.transaction.kind,
            created_at=entry.transaction.created_at,
        )
        for entry in found.order_by("pk")
    ]


def notifications(user: User) -> list[dict[str, Any]]:
    out = []
    with translation.override(user.language or None):
        for notice in Notification.objects.filter(user=user).order_by("pk"):
            subject, body = notice.rendered()
            out.append(row(notice, subject=subject, body=body))
    return out


def preferences(user: User) -> dict[str, Any]:
    """The language of the pages, e-mails and notices, and which notices come by e-mail (UX-4): the stored row
    (muted topic keys) and every topic spelled out, in the user's language."""
    stored = EmailPreference.objects.filter(user=user).first()
    muted = set(stored.muted) if stored else set()
    with translation.override(user.language or None):
        topics = [
            {
                "topic": topic.key,
                "name": str(topic.label),
                "by_email": topic.mandatory or topic.key not in muted,
                "always_by_email": topic.mandatory,
            }
            for topic in TOPICS
        ]
    return {
        "language": user.language,
        "email_preference": row(stored) if stored else None,
        "email_topics": topics,
    }


def contact_disclosures(user: User) -> list[dict[str, Any]]:
    found = ContactDisclosure.objects.filter(subject=user).select_related("deal", "viewer").order_by("pk")
    return [{"deal": d.deal.reference, "viewer": d.viewer.username, "via": d.via, "at": d.at} for d in found]


def sessions(user: User) -> dict[str, Any]:
    return {
        "sessions": rows(UserSession.objects.filter(user=user).order_by("created_at")),
        "api_tokens": rows(ApiToken.objects.filter(user=user).order_by("pk")),
    }


@dataclass(frozen=True)
class Section:
    name: str  # the member's name in the archive
    about: str  # its line in README.txt
    read: Callable[[User], Any]


SECTIONS = (
    Section(
        "account.json", "Your account and registration information (decrypted), two-factor status.", account
    ),
    Section("profile.json", "Your public profile and what it shows.", profile),
    Section("consents.json", "Every agreement version you accepted, when and how.", consents),
    Section("works.json", "Your works with their metadata and files (originals in originals/).", works),
    Section("reports.json", "The infringement reports you filed and their items.", reports),
    Section("counter_notices.json", "The counter-notices you sent.", counter_notices),
    Section(
        "licensing.json", "Licence requests (with every proposal) and deals you are a party to.", licensing
    ),
    Section("messages.json", "Messages you sent and received in your threads.", messages),
    Section("shop.json", "Your orders as a buyer, your products as a maker, your payouts.", shop),
    Section("ledger.json", "The entries of your revenue ledger accounts.", ledger),
    Section("notifications.json", "The notices in your inbox.", notifications),
    Section(
        "preferences.json",
        "Your language and which notices you get by e-mail as well as in the inbox.",
        preferences,
    ),
    Section(
        "contact_disclosures.json",
        "Every time your contact details were shown, and to whom.",
        contact_disclosures,
    ),
    Section(
        "sessions.json", "Your sign-in sessions and personal access tokens (metadata, no secrets).", sessions
    ),
)
ORIGINALS_ABOUT = "originals/<work id>/<file id>.<format>: the files you uploaded, as uploaded."
