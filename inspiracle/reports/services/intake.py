"""Filing a report (RPT-1..RPT-6, RPT-13): proving an email address without an account, filing, completing what
is missing, and the moment it is complete, when its 15-working-day deadline starts."""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inspiracle.accounts.emailcodes import EmailCodes
from inspiracle.accounts.models import User
from inspiracle.accounts.services import email_index
from inspiracle.accounts.validation import normalize_email, normalize_phone
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError
from inspiracle.core.http import current_origin
from inspiracle.core.ratelimit import Limit, wait_text
from inspiracle.pipeline.documents import Upload
from inspiracle.reports.checks import missing_materials, resolve_address
from inspiracle.reports.citations import proof_cite, proof_cite_work
from inspiracle.reports.evidence import evidence_checked, evidence_saving
from inspiracle.reports.models import (
    REPORT_KINDS,
    Category,
    EmailProof,
    Evidence,
    IpKind,
    PartyKind,
    Report,
    ReportItem,
    RightsHolderProfile,
)
from inspiracle.reports.notices import tell_reporter
from inspiracle.reports.services.licences import OFFER_FIELD, offer_clean, offer_given, remedy_check
from inspiracle.reports.workdays import add_working_days

EMAIL_SALT = "reports.email-proof"
EMAIL_PROOF_HOURS = 24
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
CODES_PER_ADDRESS_HOUR = 5
CODES_PER_IP_HOUR = 20
MAX_ITEMS = 20
MAX_FILES = 10
TEXT_FIELDS = {"name": 200, "mailing_address": 300, "description": 8000}
DECLARATIONS = ("declared_holder", "declared_infringes", "declared_liability")
# The refusal's entry that lists the documents to attach again (a form shows it above the form).
REATTACH_FIELD = "attachments"


# --- Email proof for reporters without an account (RPT-1) --------------------------------------------------


EMAIL_CODES = EmailCodes(
    model=EmailProof,
    scope="reports",
    salt=EMAIL_SALT,
    outbox_kind="reports.code",
    per_address_hour=CODES_PER_ADDRESS_HOUR,
    per_network_hour=CODES_PER_IP_HOUR,
    pass_hours=EMAIL_PROOF_HOURS,
    code_minutes=CODE_MINUTES,
    attempts=CODE_ATTEMPTS,
)
email_proof_confirm = EMAIL_CODES.confirm
email_from_pass = EMAIL_CODES.email_from_pass


def email_proof_start(*, email: str) -> EmailProof:
    """Send a six-digit code to ``email``; proving it lets a visitor file reports under that address."""
    proof = EMAIL_CODES.start(email=email, created_ip=current_origin.get().ip or None)
    assert isinstance(proof, EmailProof)
    return proof


# --- Filing and completing ----------------------------------------------------------------------------------


@dataclass
class ReportInput:
    """What a reporter sends, from the step-by-step form or the API. Empty values leave a draft's as they are."""

    category: str = ""
    ip_kind: str = ""
    acting: str = ""
    party_kind: str = ""
    name: str = ""
    mailing_address: str = ""
    phone: str = ""
    email: str = ""
    description: str = ""
    cited_work: str = ""
    # RPT-3, WRK-10: a proof-of-creation certificate (the JSON file's bytes), checked against the proof log.
    proof_certificate: bytes = b""
    profile: int | None = None
    declared_holder: bool = False
    declared_infringes: bool = False
    declared_liability: bool = False
    items: list[dict] = field(default_factory=list)
    files: list[Upload] = field(default_factory=list)
    # RPT-15: the terms of the licence offered for the addresses whose ``remedy`` is "licence".
    licence_offer: dict | None = None


def report_file(*, reporter: User | None, email_pass: str = "", data: ReportInput) -> Report:
    """RPT-1: a new report. Signed-in reporters are who they are; others give an email pass and get a secret
    tracking link (``report.access_token``, with the reference), shown and emailed."""
    if reporter is None or not reporter.is_authenticated:
        reporter, proven_email = None, email_from_pass(email_pass)
    else:
        # A member's registered address is proven already; a report may give another contact address.
        proven_email = getattr(getattr(reporter, "registration", None), "email", "")
    limit = _report_limit()
    if limit:
        ratelimit.check(*limit)  # before the documents are read and scanned
    if data.category not in Category.values:
        raise ApplicationError(
            _("Choose what the report is about."), fields={"category": [_("Choose a category.")]}
        )
    secret = "" if reporter else secrets.token_urlsafe(24)
    report = Report(
        reporter=reporter,
        category=data.category,
        email=proven_email,
        email_index=email_index(proven_email) if proven_email else "",
        access_token=secret,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_ip=current_origin.get().ip or None,
    )
    return _save(report, data, created=True)


def report_complete(*, report: Report, data: ReportInput) -> Report:
    """RPT-3: add what was missing to a report that is not accepted yet (the reporter's own, checked by the
    access function)."""
    if report.status != Report.Status.INCOMPLETE:
        raise ApplicationError(
            _("This report is complete and under review; it can no longer be changed."),
            code="invalid_state",
            status=409,
        )
    return _save(report, data, created=False)


def _report_limit() -> tuple[Limit, str] | None:
    """RPT-1: reports per network, an open form's guard against floods. None outside a request."""
    net = ratelimit.network()
    if not net:
        return None
    limit = Limit(
        scope="reports.network",
        hits=settings.REPORTS_PER_HOUR_PER_IP,
        window=3600,
        refusal=lambda wait: (
            _(
                "Too many reports were filed from your network in the last hour. Wait %(wait)s, or write to "
                "%(contact)s if you need to report many pages: one report can name up to 20 addresses."
            )
            % {"wait": wait_text(wait), "contact": settings.CONTACT_EMAIL}
        ),
    )
    return limit, ratelimit.key(net)


def _save(report: Report, data: ReportInput, *, created: bool) -> Report:
    errors: dict[str, list[str]] = {}
    changes = _clean_fields(report, data, errors)
    items = _clean_items(report, data.items, errors)
    _clean_offer(report, data.licence_offer, items, changes, errors)
    if len(data.files) + (0 if created else report.evidence.count()) > MAX_FILES * 2:
        errors["files"] = [_("Attach at most 20 documents to one report.")]
    uploads = evidence_checked(data.files[: MAX_FILES * 2], errors, kinds=REPORT_KINDS)
    if errors:
        if uploads:  # a browser does not send a file again by itself: the reporter must know which ones
            errors[REATTACH_FIELD] = [_reattach_message(uploads)]
        raise ApplicationError(_("Nothing was saved; correct the fields marked below."), fields=errors)
    with evidence_saving() as save, transaction.atomic():
        # Counted in the filing's transaction: a refused or failed filing does not use up a report, and the
        # counter's row lock makes parallel filings from one network take their turn.
        limit = _report_limit() if created else None
        if limit:
            ratelimit.hit(limit)
        if not created:
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.status != Report.Status.INCOMPLETE:
                raise ApplicationError(
                    _("This report can no longer be changed."), code="invalid_state", status=409
                )
        for name, value in changes.items():
            setattr(report, name, value)
        if created:
            report.reference = _new_reference()
        report.save()
        for item in items:
            item.report = report
            item.save()
        save(uploads, report=report)
        missing = missing_materials(report)
        audit_record(
            action="report.filed" if created else "report.completed",
            actor=report.reporter,
            target=report.reporter,
            target_label=report.reference,
            data={"report": report.pk, "category": report.category, "missing": sorted(missing)},
        )
        if not missing:
            _accept(report)
        elif created:
            tell_reporter(report, "report_incomplete", {"reference": report.reference})
    report.missing = missing
    return report


def _reattach_message(uploads: list[tuple[Upload, str]]) -> str:
    """Which of the documents sent passed their checks but were not kept because something else was wrong."""
    names = pgettext("detail separator", "; ").join(
        _("%(name)s (%(kind)s)") % {"name": upload.name, "kind": Evidence.Kind(upload.kind).label}
        for upload, _type in uploads
    )
    return _(
        "These documents were fine but are not kept, because nothing was saved: attach them again before you "
        "send: %(names)s."
    ) % {"names": names}


def _accept(report: Report) -> None:
    """Complete: the deadline starts now (RPT-6)."""
    now = timezone.now()
    report.completed_at = now
    report.due_at, report.due_conservative = add_working_days(now, settings.REPORT_DEADLINE_WORKING_DAYS)
    report.status = Report.Status.ACCEPTED
    report.save()
    audit_record(
        action="report.accepted",
        actor=None,
        target_label=report.reference,
        data={
            "report": report.pk,
            "due_at": report.due_at.isoformat(),
            "conservative": report.due_conservative,
        },
    )
    tell_reporter(report, "report_accepted", {"reference": report.reference, "until": report.due_at})


def _new_reference() -> str:
    # Short, unguessable enough not to enumerate others' reports, easy to read out on the phone.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        reference = "R-" + "".join(secrets.choice(alphabet) for _n in range(8))
        if not Report.objects.filter(reference=reference).exists():
            return reference


def _clean_fields(report: Report, data: ReportInput, errors: dict) -> dict:
    changes: dict = {}
    if data.category and data.category != report.category:
        errors["category"] = [_("The category of a report cannot change; file a new report instead.")]
    if data.ip_kind:
        if report.category != Category.IP or data.ip_kind not in IpKind.values:
            errors["ip_kind"] = [_("Copyright, trademark or patent: only for intellectual property reports.")]
        else:
            changes["ip_kind"] = data.ip_kind
    if data.acting:
        if data.acting not in Report.Acting.values:
            errors["acting"] = [_("Say whether you are the rights holder or act for them.")]
        else:
            changes["acting"] = data.acting
    if data.party_kind:
        if data.party_kind not in PartyKind.values:
            errors["party_kind"] = [_("Say whether the rights holder is a person or an organization.")]
        else:
            changes["party_kind"] = data.party_kind
    for name, limit in TEXT_FIELDS.items():
        value = (getattr(data, name) or "").replace("\x00", "").strip()
        if len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
        elif value:
            changes[name] = value
    if data.phone.strip():
        try:
            changes["phone"] = normalize_phone(data.phone, mobile=None)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if data.email.strip():
        try:
            email = normalize_email(data.email)
        except ValidationError as exc:
            errors["email"] = exc.messages
        else:
            if report.reporter_id or not report.email:
                changes["email"] = email
                changes["email_index"] = email_index(email)
            elif email != report.email:
                errors["email"] = [_("A report filed without an account keeps the address you proved.")]
    if data.cited_work.strip():
        try:
            work, _account = resolve_address(data.cited_work)
        except ApplicationError as exc:
            errors["cited_work"] = [exc.message]
        else:
            if work is None:
                errors["cited_work"] = [_("Cite the address of a work, not of a profile.")]
            elif not report.reporter_id or work.owner_id != report.reporter_id:
                # A work proves a right only as its owner's: anyone could cite someone else's.
                errors["cited_work"] = [
                    _("Cite a work of your own, published here while signed in; otherwise attach the proof.")
                ]
            else:
                changes["cited_work"] = work
                changes.update({} if data.proof_certificate else proof_cite_work(work))
    if data.proof_certificate:
        changes.update(proof_cite(data.proof_certificate, errors))
    if data.profile is not None:
        profile = RightsHolderProfile.objects.filter(pk=data.profile, owner=report.reporter_id or 0).first()
        if profile is None or not profile.usable(timezone.now()):
            errors["profile"] = [_("Choose one of your verified, still valid rights holder profiles.")]
        else:
            changes["profile"] = profile
    now = timezone.now()
    for declaration in DECLARATIONS:
        if getattr(data, declaration) and getattr(report, f"{declaration}_at") is None:
            changes[f"{declaration}_at"] = now
    return changes


def _clean_items(report: Report, raw_items: list[dict], errors: dict) -> list[ReportItem]:
    """New addresses, and corrections of the report's own (an entry with the ``id`` of one of them): while a
    report is not accepted, any of its addresses can still be completed or corrected."""
    own = {item.pk: item for item in report.items.all()} if report.pk else {}
    new_count = sum(1 for raw in raw_items if not raw.get("id"))
    ids = [raw.get("id") for raw in raw_items if raw.get("id")]
    if len(raw_items) > MAX_ITEMS or len(ids) != len(set(map(str, ids))) or len(own) + new_count > MAX_ITEMS:
        errors["items"] = [
            _("One report names at most %(n)d addresses; file another for the rest.") % {"n": MAX_ITEMS}
        ]
        return []
    numbers = {pk: number for number, pk in enumerate(own, start=1)}
    items, next_number = [], len(own) + 1
    for raw in raw_items:
        item_id = _int(raw.get("id"))
        existing = own.get(item_id) if item_id is not None else None
        if raw.get("id") and existing is None:
            errors["items"] = [_("Address %(id)s is not part of this report.") % {"id": raw.get("id")}]
            continue
        number = numbers[existing.pk] if existing else next_number
        next_number += 0 if existing else 1
        item = existing or ReportItem()
        url = str(raw.get("url") or "").replace("\x00", "").strip()
        if url or existing is None:
            try:
                item.work, item.account = resolve_address(url)
            except ApplicationError as exc:
                errors[f"items.{number}.url"] = [exc.message]
                continue
            item.url = url[:500]
        for key in ("content", "right", "statement"):
            text = str(raw.get(key) or "").replace("\x00", "").strip()[:2000]
            if text or existing is None:
                setattr(item, key, text)
        remedy = str(raw.get("remedy") or "").strip()
        if remedy or existing is None:
            item.remedy = remedy or ReportItem.Remedy.TAKEDOWN
        refusal = remedy_check(report, item)
        if refusal:
            errors[f"items.{number}.remedy"] = [refusal]
            continue
        items.append(item)
    return items


def _clean_offer(
    report: Report, raw: dict | None, items: list[ReportItem], changes: dict, errors: dict
) -> None:
    """RPT-15: the licence terms, checked when given. Addresses that ask for a licence without any terms make
    the report incomplete (``missing_materials``); terms that no address asks for are refused, so that a
    reporter who meant to offer a licence is not surprised by a takedown."""
    if not offer_given(raw):
        return
    sent = {item.pk: item for item in items if item.pk}
    final = [sent.get(item.pk, item) for item in report.items.all()] if report.pk else []
    final += [item for item in items if not item.pk]
    if not any(item.remedy == ReportItem.Remedy.LICENCE for item in final) and not errors:
        errors[OFFER_FIELD] = [
            _(
                "You gave licence terms, but no address asks for a licence: choose “Offer a licence instead” "
                "beside the works it is for, or leave the terms empty."
            )
        ]
        return
    offer = offer_clean(report, raw or {}, errors)
    if offer is not None:
        changes["licence_offer"] = offer


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
