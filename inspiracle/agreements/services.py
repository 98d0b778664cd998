"""Changes to agreements and consents. Each writes its audit event in the same transaction."""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inspiracle.accounts.permissions import AGREEMENTS_PUBLISH, require_capability
from inspiracle.agreements.models import Consent, Document, Version
from inspiracle.agreements.rendering import unknown_placeholders, unknown_placeholders_message
from inspiracle.agreements.selectors import local_today, required_versions_in_force
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.http import current_origin

MAX_TEXT_CHARS = 200_000
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"

# The documents every user agrees to (REG-1); their texts ship in defaults/ (AGR-5).
DEFAULT_DOCUMENTS = [
    ("service-agreement", "用户服务协议", "User Service Agreement"),
    ("privacy-policy", "隐私政策", "Privacy Policy"),
    ("upload-compliance", "上传合规声明", "Upload Compliance Statement"),
    ("creator-display-authorization", "创作者展示授权书", "Creator Display Authorization"),
]


def version_publish(
    *,
    actor,
    document: Document,
    text_zh: str,
    text_en: str,
    effective_date: date,
    requires_reacceptance: bool,
    summary_zh: str = "",
    summary_en: str = "",
    last_updated: date | None = None,
) -> Version:
    """Publish the next version of ``document`` (AGR-3). ``actor`` None means the operator's command line."""
    if actor is not None:
        require_capability(actor, AGREEMENTS_PUBLISH)
    today = local_today()
    errors: dict[str, list[str]] = {}
    if effective_date < today:
        errors["effective_date"] = [
            _("The effective date %(date)s is in the past; choose today (%(today)s) or a later day.")
            % {"date": effective_date.isoformat(), "today": today.isoformat()}
        ]
    for name, text in (("text_zh", text_zh), ("text_en", text_en)):
        if not text.strip():
            errors[name] = [_("The text is empty; both the Chinese and the English text are needed.")]
        elif len(text) > MAX_TEXT_CHARS:
            errors[name] = [_("The text is longer than %(max)d characters.") % {"max": MAX_TEXT_CHARS}]
    for name, text in (
        ("text_zh", text_zh),
        ("text_en", text_en),
        ("summary_zh", summary_zh),
        ("summary_en", summary_en),
    ):
        if name not in errors and (unknown := unknown_placeholders(text)):
            errors[name] = [unknown_placeholders_message(unknown)]
    last_updated = last_updated or min(today, effective_date)
    if last_updated > effective_date:
        errors["last_updated"] = [_("The last-updated date cannot be after the effective date.")]
    if errors:
        raise ApplicationError(_("The version was not published; correct the fields below."), fields=errors)
    with transaction.atomic():
        # Why the lock: two staff publishing at once must not both take the same next number.
        Document.objects.select_for_update().get(pk=document.pk)
        last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = Version(
            document=document,
            number=last + 1,
            text_zh=text_zh.strip() + "\n",
            text_en=text_en.strip() + "\n",
            summary_zh=summary_zh.strip(),
            summary_en=summary_en.strip(),
            last_updated=last_updated,
            effective_date=effective_date,
            published_at=timezone.now(),
            published_by=actor,
            requires_reacceptance=requires_reacceptance,
        )
        version.full_clean()
        version.save()
        audit_record(
            action="agreement.published",
            actor=actor,
            target=version,
            data={
                "document": document.slug,
                "number": version.number,
                "effective_date": effective_date.isoformat(),
                "requires_reacceptance": requires_reacceptance,
            },
        )
    return version


def consent_accept(
    *, user, versions: list[Version], method: str, age_attested: bool = False
) -> list[Consent]:
    """Record that ``user`` accepted ``versions`` (REG-2): one immutable row each, with where from."""
    origin = current_origin.get()
    created = []
    with transaction.atomic():
        already = set(
            Consent.objects.filter(user=user, version__in=versions).values_list("version_id", flat=True)
        )
        for version in versions:
            if version.pk in already:
                continue
            consent = Consent(
                user=user,
                version=version,
                method=method,
                accepted_at=timezone.now(),
                ip=origin.ip,
                user_agent=origin.user_agent,
                age_attested=age_attested,
            )
            consent.save(force_insert=True)
            created.append(consent)
            audit_record(
                action="consent.accepted",
                actor=user,
                target=version,
                data={"method": method, "age_attested": age_attested, "consent_id": consent.pk},
            )
    return created


def consent_reaccept(*, user, accepted: list[str]) -> list[Consent]:
    """AGR-4: accept every version the gate asks ``user`` for; each must be ticked ("slug@number")."""
    from inspiracle.agreements.selectors import gate_status

    missing = gate_status(user).missing
    if not missing:
        raise ApplicationError(
            _("You have accepted every agreement in force already."), code="nothing_to_accept"
        )
    not_given = [v.label for v in missing if v.label not in set(accepted)]
    if not_given:
        raise ApplicationError(
            _("Tick 'I agree' for every agreement listed; missing: %(labels)s.")
            % {"labels": ", ".join(not_given)},
            fields={"accept": not_given},
        )
    return consent_accept(user=user, versions=missing, method=Consent.Method.REACCEPTANCE)


def check_accepted_labels(accepted: list[str], *, on: date | None = None) -> list[Version]:
    """Match what a person ticked ("slug@number" each) against the versions in force (REG-1). Every required
    agreement must be there, deliberately: nothing is assumed."""
    in_force = required_versions_in_force(on)
    if not in_force:
        raise ApplicationError(
            _("No agreements are in force yet, so nobody can register. Contact the operator.")
        )
    given = {label.strip() for label in accepted if label and label.strip()}
    missing = [v for v in in_force if v.label not in given]
    stale = given - {v.label for v in in_force}
    if stale:
        raise ApplicationError(
            _(
                "An agreement changed while you were reading it (%(labels)s). Please read the current version "
                "and agree again."
            )
            % {"labels": ", ".join(sorted(stale))},
            code="agreements_changed",
        )
    if missing:
        titles = pgettext("list separator", ", ").join(
            _("%(title)s (version %(number)d)") % {"title": v.document.title, "number": v.number}
            for v in missing
        )
        raise ApplicationError(
            _("You need to agree to every agreement to register. Not agreed: %(titles)s.")
            % {"titles": titles},
            code="agreement_missing",
        )
    return in_force


def documents_ensure() -> list[Document]:
    documents = []
    for position, (slug, title_zh, title_en) in enumerate(DEFAULT_DOCUMENTS):
        document, _created = Document.objects.get_or_create(
            slug=slug, defaults={"title_zh": title_zh, "title_en": title_en, "position": position}
        )
        documents.append(document)
    return documents


def agreements_load_directory(
    *,
    directory: Path,
    effective_date: date | None = None,
    requires_reacceptance: bool = False,
    only_if_empty: bool = False,
) -> list[Version]:
    """Publish ``<slug>.zh-hans.md`` and ``<slug>.en.md`` of each document found in ``directory`` (AGR-5):
    the shipped defaults, or an operator's own texts. ``only_if_empty`` skips documents that have versions."""
    published = []
    for document in documents_ensure():
        zh, en = directory / f"{document.slug}.zh-hans.md", directory / f"{document.slug}.en.md"
        if not (zh.exists() and en.exists()):
            continue
        if only_if_empty and document.versions.exists():
            continue
        published.append(
            version_publish(
                actor=None,
                document=document,
                text_zh=zh.read_text(encoding="utf-8"),
                text_en=en.read_text(encoding="utf-8"),
                effective_date=effective_date or local_today(),
                requires_reacceptance=requires_reacceptance,
            )
        )
    return published
