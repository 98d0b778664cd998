"""Deciding reports (RPT-7, RPT-9) and purging documents after closure (RPT-10); counter-notices (RPT-8) are
in ``counters``.

Upholding acts on the content through moderation's own services (takedown, mask, reclaim), so that every
measure is a moderation decision the uploader can see, contest and have undone; IP reports add a strike, and
strikes escalate by the configured thresholds. A work whose rights holder offers a licence instead (RPT-15)
gets a licensing request rather than a measure; ``settling`` applies the takedown if it is not agreed."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import REPORTS_HANDLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.storage import private_storage
from inspiracle.moderation.models import Decision, Sanction, Strike
from inspiracle.moderation.services import (
    content_mask,
    content_take_down,
    sanction_apply,
    strike_record,
)
from inspiracle.notifications.services import notify
from inspiracle.reports.models import (
    Category,
    CounterNotice,
    Evidence,
    Report,
    ReportItem,
    RightsHolderProfile,
)
from inspiracle.reports.notices import tell_reporter
from inspiracle.reports.services.licences import licence_offer_send
from inspiracle.standing import sanctions_in_force
from inspiracle.works.models import Work

# The prohibited-content reason a takedown for each category carries (MOD-2's catalogue).
CONTENT_REASON: dict[str, str] = {
    Category.IP: "third_party_rights",
    Category.IMPERSONATION: "third_party_rights",
    Category.PRIVACY: "insult_defamation",
    Category.DEFAMATION: "insult_defamation",
}
# What staff can do with one address of an upheld report; LICENCE sends the rights holder's licence (RPT-15).
TAKEDOWN, KEEP, RECLAIM, LICENCE = "takedown", "keep", "reclaim", "licence"


def reasons_clean(value: str, field: str, limit: int = 4000) -> str:
    text = (value or "").replace("\x00", "").strip()
    if not text:
        raise ApplicationError(
            _("Give the reasons; they are sent to the reporter."), fields={field: [_("Required.")]}
        )
    if len(text) > limit:
        raise ApplicationError(
            _("At most %(n)d characters.") % {"n": limit}, fields={field: [_("Too long.")]}
        )
    return text


def report_decide(
    *, actor: User, report: Report, uphold: bool, reasons: str, actions: dict | None = None
) -> Report:
    """RPT-7: uphold (act on each address: take down, mask a part, reclaim an impersonating account, or keep)
    or reject, with reasons for the reporter. ``actions`` maps item ids to "takedown", "keep", "reclaim",
    "mask:title", "mask:description", "mask:file:<id>" or, where the rights holder offers one, "licence"
    (RPT-15); an upheld report acts on at least one address. Nothing changes when any action is refused."""
    require_capability(actor, REPORTS_HANDLE)
    reasons = reasons_clean(reasons, "reasons")
    actions = {int(key): str(value) for key, value in (actions or {}).items()}
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != Report.Status.ACCEPTED:
            raise ApplicationError(
                _("Only a complete report under review can be decided."), code="invalid_state", status=409
            )
        items = list(report.items.select_related("work", "account"))
        if uphold:
            _uphold(actor, report, items, actions, reasons)
        report.status = Report.Status.UPHELD if uphold else Report.Status.REJECTED
        report.decided_at, report.decided_by, report.decision_reasons = timezone.now(), actor, reasons
        report.save()
        audit_record(
            action=f"report.{report.status}",
            actor=actor,
            target_label=report.reference,
            reason=reasons,
            data={"report": report.pk, "items": {item.pk: item.outcome for item in items}},
        )
        tell_reporter(
            report,
            "report_upheld" if uphold else "report_rejected",
            {"reference": report.reference, "message": reasons},
        )
    return report


def _uphold(actor: User, report: Report, items: list[ReportItem], actions: dict, reasons: str) -> None:
    unknown = set(actions) - {item.pk for item in items}
    if unknown:
        raise ApplicationError(
            _("These addresses are not part of the report: %(ids)s.") % {"ids": sorted(unknown)}
        )
    reason_code = CONTENT_REASON[report.category]
    acted: dict[int, Decision | None] = {}  # owner -> the first decision about their content
    offered = False
    for item in items:
        action = actions.get(item.pk, _default_action(item))
        decision = item_act(actor, report, item, action, reason_code)
        if item.outcome == ReportItem.Outcome.LICENCE_OFFERED:
            # No measure and no strike yet: licensing tells the uploader of the request (RPT-15).
            offered = True
        elif item.outcome != ReportItem.Outcome.KEPT:
            acted.setdefault(item.owner_id, decision)
            _tell_owner(item)
    if not acted and not offered:
        raise ApplicationError(
            _("An upheld report acts on at least one address; otherwise reject it with your reasons."),
            fields={"actions": [_("Choose what to do with at least one address.")]},
        )
    if report.category == Category.IP:
        # RPT-9: one strike per upheld IP report and uploader, then the thresholds.
        for owner_id, decision in acted.items():
            strike = owner_strike(actor=actor, report=report, owner_id=owner_id, decision=decision)
            # Not on an address whose licence is still open: it is struck only if that licence fails.
            ReportItem.objects.filter(
                report=report, pk__in=[i.pk for i in items if i.owner_id == owner_id]
            ).exclude(outcome=ReportItem.Outcome.LICENCE_OFFERED).update(strike=strike)


def _default_action(item: ReportItem) -> str:
    """What an address the officer did not name gets: what the rights holder asked for a work (RPT-15)."""
    if item.account_id:
        return KEEP
    return LICENCE if item.remedy == ReportItem.Remedy.LICENCE else TAKEDOWN


def owner_strike(*, actor: User, report: Report, owner_id: int, decision: Decision | None) -> Strike:
    """RPT-9: the strike of an upheld IP report on one uploader's record, then the thresholds."""
    owner = User.objects.get(pk=owner_id)
    strike = strike_record(
        actor=actor, user=owner, reason_code="third_party_rights", decision=decision, note=report.reference
    )
    strikes_escalate(actor=actor, user=owner)
    return strike


def item_act(actor: User, report: Report, item: ReportItem, action: str, reason_code: str) -> Decision | None:
    """Carry out one action on one address of an upheld report and record its outcome."""
    # Said by the platform, not typed by the officer: kept as a code, so the owner reads it in their language.
    said = {"reference": report.reference}
    decision = None
    work = item.work  # fetched with the item, like its account
    if action == KEEP:
        item.outcome = ReportItem.Outcome.KEPT
    elif action == LICENCE and report.category == Category.IP:
        # RPT-15: the request goes out in this transaction; the takedown (with the strike RPT-9 gives an
        # upheld IP report) waits for its end and applies only if the licence is not agreed.
        item.licence_request = licence_offer_send(report=report, item=item)
        item.outcome = ReportItem.Outcome.LICENCE_OFFERED
        item.fallback_strike = True
    elif work is not None and action == TAKEDOWN and work.status == Work.Status.TAKEN_DOWN:
        # Down already (an earlier report or decision): the report is still upheld and, for IP, still a strike.
        # Checked before the takedown below, which refuses a work that is down.
        item.outcome = ReportItem.Outcome.TAKEN_DOWN
    elif work is not None and action == TAKEDOWN:
        decision = content_take_down(
            actor=actor, work=work, reason_code=reason_code, statement="report_upheld", statement_params=said
        )
        item.outcome = ReportItem.Outcome.TAKEN_DOWN
    elif work is not None and action.startswith("mask:"):
        _mask, part, file_id = (action.split(":") + [""])[:3]
        decision = content_mask(
            actor=actor,
            work=work,
            part=part,
            file_id=int(file_id) if file_id.isdigit() else None,
            reason_code=reason_code,
            statement="report_upheld",
            statement_params=said,
        )
        item.outcome = ReportItem.Outcome.MASKED
    elif item.account is not None and action == RECLAIM and report.category == Category.IMPERSONATION:
        sanction_apply(
            actor=actor,
            user=item.account,
            kind=Sanction.Kind.RECLAIM,
            reason_code="impersonation",
            statement="report_upheld",
            statement_params=said,
        )
        item.outcome = ReportItem.Outcome.TAKEN_DOWN
    else:
        raise ApplicationError(
            _("“%(action)s” cannot be done with %(url)s.") % {"action": action, "url": item.url},
            fields={f"actions.{item.pk}": [_("Choose another action.")]},
        )
    item.decision = decision
    item.save()
    return decision


def _tell_owner(item: ReportItem) -> None:
    """RPT-8: the uploader learns of the upheld report, never who filed it, and how to counter it."""
    owner = item.work.owner if item.work is not None else item.account
    assert owner is not None  # an address is a work or an account (report_item_one_target)
    title = item.work.title if item.work is not None else f"@{owner.username}"
    notify(
        user=owner,
        template="report_against_you",
        params={"title": title},
        reason_code=item.decision.reason_code if item.decision else "",
        link=reverse("reports:counter", args=[item.pk]),
    )


def strikes_escalate(*, actor: User, user: User) -> Sanction | None:
    """RPT-9: the measure the counting strikes call for, unless one as strong is already in force."""
    now = timezone.now()
    count = Strike.objects.filter(user=user, status=Strike.Status.ACTIVE, expires_at__gt=now).count()
    if count >= settings.STRIKE_BAN_AT:
        kind, ends_at = Sanction.Kind.TERMINATION, None
    elif count >= settings.STRIKE_RESTRICTION_AT:
        kind, ends_at = Sanction.Kind.PUBLISHING, now + timedelta(days=settings.STRIKE_RESTRICTION_DAYS)
    elif count >= settings.STRIKE_WARNING_AT:
        kind, ends_at = Sanction.Kind.WARNING, None
    else:
        return None
    stronger = {
        Sanction.Kind.WARNING: [Sanction.Kind.WARNING, Sanction.Kind.PUBLISHING, Sanction.Kind.TERMINATION],
        Sanction.Kind.PUBLISHING: [Sanction.Kind.PUBLISHING, Sanction.Kind.TERMINATION],
        Sanction.Kind.TERMINATION: [Sanction.Kind.TERMINATION],
    }[kind]
    if kind != Sanction.Kind.WARNING and sanctions_in_force(user, now).filter(kind__in=stronger).exists():
        return None
    # The platform's own words, kept as a code: the user, and staff, read them each in their own language.
    said = {
        "count": count,
        "days": settings.STRIKE_EXPIRY_DAYS,
        "warning": settings.STRIKE_WARNING_AT,
        "restriction": settings.STRIKE_RESTRICTION_AT,
        "restriction_days": settings.STRIKE_RESTRICTION_DAYS,
        "ban": settings.STRIKE_BAN_AT,
    }
    return sanction_apply(
        actor=actor,
        user=user,
        kind=kind,
        reason_code="repeat_infringement",
        statement="strikes_escalated",
        statement_params=said,
        ends_at=ends_at,
    )


# --- RPT-10: documents do not outlive their use --------------------------------------------------------------


def reports_purge(*, now=None) -> int:
    """RPT-10: delete documents that outlived their use, each counted from when its owner closed: a decided
    report (unless a counter-notice on it is still open), a decided counter-notice, a draft never completed,
    a refused or expired rights holder profile. Returns how many documents went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_DOCUMENTS_RETENTION_DAYS)
    closed = ~Q(report__status=Report.Status.ACCEPTED) & (
        Q(report__decided_at__lte=cutoff)
        | Q(report__status=Report.Status.INCOMPLETE, report__created_at__lte=cutoff)
    )
    stale = (
        (closed & ~Q(report__items__counter_notice__status=CounterNotice.Status.OPEN))
        | Q(counter_notice__decided_at__lte=cutoff)
        | Q(profile__status=RightsHolderProfile.Status.REFUSED, profile__created_at__lte=cutoff)
        | Q(profile__valid_until__lte=cutoff)
    )
    documents = list(Evidence.objects.filter(purged_at__isnull=True).filter(stale).distinct())
    # A cited proof-of-creation certificate (RPT-3) is a document of the report too: it goes with the others,
    # also from a report that had no other document; the outcome of its check (proof_check) stays.
    certified = list(
        Report.objects.exclude(proof_certificate="")
        .filter(
            ~Q(status=Report.Status.ACCEPTED)
            & (Q(decided_at__lte=cutoff) | Q(status=Report.Status.INCOMPLETE, created_at__lte=cutoff))
            & ~Q(items__counter_notice__status=CounterNotice.Status.OPEN)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    if not documents and not certified:
        return 0
    with transaction.atomic():
        Evidence.objects.filter(pk__in=[doc.pk for doc in documents]).update(purged_at=now, file="", name="")
        Report.objects.filter(pk__in=certified).update(proof_certificate="")
        reports = sorted({doc.report_id for doc in documents if doc.report_id} | set(certified))
        Report.objects.filter(pk__in=reports, purged_at__isnull=True).update(purged_at=now)
        audit_record(
            action="report.documents_purged",
            actor=None,
            data={
                "reports": reports,
                "counter_notices": sorted({d.counter_notice_id for d in documents if d.counter_notice_id}),
                "profiles": sorted({d.profile_id for d in documents if d.profile_id}),
                "documents": len(documents),
            },
        )
        names = [doc.file.name for doc in documents if doc.file]
        transaction.on_commit(lambda: [private_storage().delete(n) for n in names], robust=True)
    return len(documents)
