"""Counter-notices (RPT-8): the uploader contests the measure an upheld report took; staff restore the content
(the measure undone, the report's strike overruled and the escalation it caused lifted) or refuse."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import REPORTS_HANDLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.moderation.models import Sanction, Strike
from inspiracle.moderation.selectors import decision_stands
from inspiracle.moderation.services import decision_reverse, sanction_lift, strike_resolve
from inspiracle.notifications.services import notify
from inspiracle.pipeline.documents import Upload
from inspiracle.reports.evidence import evidence_checked, evidence_saving
from inspiracle.reports.models import CounterNotice, Evidence, Report, ReportItem
from inspiracle.reports.notices import tell_reporter
from inspiracle.reports.services.decisions import reasons_clean
from inspiracle.standing import sanctions_in_force
from inspiracle.works.models import Work


def strikes_deescalate(*, actor: User, user: User, reason: str) -> list[Sanction]:
    """After a strike is overruled: lift the escalation measures the strikes still counting no longer call for
    (RPT-9 works both ways). Returns the measures lifted; the user is told of each."""
    now = timezone.now()
    count = Strike.objects.filter(user=user, status=Strike.Status.ACTIVE, expires_at__gt=now).count()
    needed: dict[str, int] = {
        Sanction.Kind.TERMINATION: settings.STRIKE_BAN_AT,
        Sanction.Kind.PUBLISHING: settings.STRIKE_RESTRICTION_AT,
    }
    lifted = []
    in_force = sanctions_in_force(user, now).filter(reason_code="repeat_infringement", kind__in=list(needed))
    for sanction in in_force:
        if count < needed[sanction.kind]:
            lifted.append(sanction_lift(actor=actor, sanction=sanction, reason=reason))
    return lifted


def counter_notice_file(
    *, uploader: User, item: ReportItem, explanation: str, files: list[Upload]
) -> CounterNotice:
    explanation = reasons_clean(explanation, "explanation", 8000)
    if len(files) > 10:
        raise ApplicationError(
            _("Attach at most 10 documents."), fields={"files": [_("Attach at most 10 documents.")]}
        )
    errors: dict[str, list[str]] = {}
    checked = evidence_checked(files, errors, kinds=[Evidence.Kind.COUNTER], field="files")
    if errors:
        raise ApplicationError(_("Nothing was sent; correct the fields marked below."), fields=errors)
    with evidence_saving() as save, transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the work outer join.
        item = (
            ReportItem.objects.select_for_update(of=("self",))
            .select_related("report", "work")
            .get(pk=item.pk)
        )
        if item.owner_id != uploader.pk:  # before any state: a stranger learns nothing
            raise NotFound(_("There is no such report."))
        if item.report.status != Report.Status.UPHELD or item.outcome not in (
            ReportItem.Outcome.TAKEN_DOWN,
            ReportItem.Outcome.MASKED,
        ):
            raise ApplicationError(
                _("Only content removed or masked after an upheld report can be counter-noticed."),
                code="invalid_state",
                status=409,
            )
        if not item.work_id:
            raise ApplicationError(
                _("A reclaimed account is contested by appeal, from the “Standing” page of your account."),
                code="invalid_state",
                status=409,
            )
        if CounterNotice.objects.filter(item=item).exists():
            raise ApplicationError(
                _("You have already sent a counter-notice for this content."),
                code="already_sent",
                status=409,
            )
        notice = CounterNotice.objects.create(item=item, uploader=uploader, explanation=explanation)
        save(checked, counter_notice=notice)
        audit_record(
            action="report.counter_notice",
            actor=uploader,
            target=uploader,
            target_label=item.report.reference,
            data={"counter_notice": notice.pk, "item": item.pk},
        )
        tell_reporter(item.report, "counter_notice_received", {"reference": item.report.reference})
    return notice


def counter_notice_decide(
    *, actor: User, notice: CounterNotice, restore: bool, reasons: str
) -> CounterNotice:
    """Restore the content (the takedown or mask is undone, the report's strike overruled) or keep the
    measure; both the uploader and the reporter are told."""
    require_capability(actor, REPORTS_HANDLE)
    reasons = reasons_clean(reasons, "reasons")
    with transaction.atomic():
        notice = CounterNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != CounterNotice.Status.OPEN:
            raise ApplicationError(
                _("This counter-notice is already decided."), code="invalid_state", status=409
            )
        item = ReportItem.objects.select_related("report", "work", "decision", "strike").get(
            pk=notice.item_id
        )
        if restore:
            decision = item.decision
            if decision is None or not decision_stands(decision, Work.objects.get(pk=decision.work_id)):
                raise ApplicationError(
                    _(
                        "The measure on this content has already changed; refuse the counter-notice and explain."
                    ),
                    code="invalid_state",
                    status=409,
                )
            decision_reverse(actor=actor, decision=decision, reason=reasons)
            if item.strike and item.strike.status == Strike.Status.ACTIVE:
                strike_resolve(
                    actor=actor,
                    strike=item.strike,
                    status=Strike.Status.OVERRULED,
                    reason=reasons,
                    notify_user=False,
                )
                strikes_deescalate(actor=actor, user=notice.uploader, reason=reasons)
        notice.status = CounterNotice.Status.RESTORED if restore else CounterNotice.Status.REFUSED
        notice.decided_at, notice.decided_by, notice.decision_reasons = timezone.now(), actor, reasons
        notice.save()
        audit_record(
            action=f"report.counter_notice_{notice.status}",
            actor=actor,
            target=notice.uploader,
            target_label=item.report.reference,
            reason=reasons,
            data={"counter_notice": notice.pk},
        )
        title = item.work.title if item.work is not None else item.url
        params = {"outcome": CounterNotice.Status(notice.status).label, "title": title, "message": reasons}
        notify(
            user=notice.uploader,
            template="counter_notice_decided",
            params=params,
            link=reverse("reports:counter", args=[item.pk]),
        )
        tell_reporter(item.report, "counter_notice_decided", params)
    return notice
