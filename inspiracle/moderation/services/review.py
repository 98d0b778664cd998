"""Deciding works in review (MOD-1, MOD-2): claim, approve, reject, ask for a correction, undo.

Every decision is one transaction: the decision row, the work's new state, the audit event and the notice
to the creator land together (the notice's email goes after the commit).
"""

from collections.abc import Mapping, Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.generations import generation_bump
from inspiracle.moderation.models import Decision, ReviewClaim
from inspiracle.moderation.selectors import decision_stands
from inspiracle.moderation.services.sanctions import strike_record
from inspiracle.moderation.statements import notice_params, statement_check
from inspiracle.notifications.services import notify
from inspiracle.reasons import CONTENT_CODES
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.services import work_publish
from inspiracle.works.transitions import DECLINE, REOPEN, REQUEST_CHANGES, RESTORE, TAKE_DOWN, work_transition

CLAIM_MINUTES = 30
Kind = Decision.Kind
REVIEW_KINDS = (Kind.APPROVE, Kind.REJECT, Kind.CORRECTION)
NOTICES: dict[str, str] = {
    Kind.APPROVE: "work_approved",
    Kind.REJECT: "work_rejected",
    Kind.CORRECTION: "work_correction_requested",
    Kind.TAKEDOWN: "work_taken_down",
    Kind.MASK: "work_masked",
}


def claim_expired(claim: ReviewClaim, now) -> bool:
    return now - claim.claimed_at > timedelta(minutes=CLAIM_MINUTES)


def review_claim(*, actor: User, work: Work) -> ReviewClaim:
    """Hold a work for deciding. Taking over a fresh claim of someone else is refused with their name."""
    require_capability(actor, STAFF_CONSOLE)
    now = timezone.now()
    with transaction.atomic():
        # Why the row lock on the work: two moderators clicking "claim" at once must not both succeed.
        work = Work.objects.select_for_update().get(pk=work.pk)
        if work.status != Work.Status.AWAITING_REVIEW:
            raise ApplicationError(_("This work is not awaiting review."), code="invalid_state", status=409)
        claim = ReviewClaim.objects.filter(work=work).select_related("moderator").first()
        if claim and claim.moderator_id != actor.pk and not claim_expired(claim, now):
            raise ApplicationError(
                _("@%(name)s is reviewing this work; pick another one.") % {"name": claim.moderator.username},
                code="claimed",
                status=409,
            )
        if claim is None:
            claim = ReviewClaim(work=work)
        claim.moderator, claim.claimed_at = actor, now
        claim.save()
        audit_record(action="review.claimed", actor=actor, target=work, target_label=work.title)
    return claim


def review_approve(*, actor: User, work: Work, revision: int | None = None) -> Decision:
    """Claim and approve in one step (the console's list of works, the API's publish call): the same claim
    rule, decision record and notice as the review queue."""
    review_claim(actor=actor, work=work)
    return review_decide(actor=actor, work=work, kind=Kind.APPROVE, revision=revision)


def review_decide(
    *,
    actor: User,
    work: Work,
    kind: str,
    reason_code: str = "",
    message: str = "",
    revision: int | None = None,
    bulk: bool = False,
    strike: bool = False,
) -> Decision:
    """MOD-2: approve (publishes), reject with a catalogue reason, or ask for a correction with a message.
    The moderator must hold the work (a bulk decision claims each work itself). A rejection can also put a
    strike on the creator's record (MOD-6)."""
    require_capability(actor, STAFF_CONSOLE)
    message = (message or "").replace("\x00", "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in REVIEW_KINDS:
        errors["kind"] = [_("Choose approve, reject or correction.")]
    if kind == Kind.REJECT and reason_code not in CONTENT_CODES:
        errors["reason_code"] = [_("Choose the reason from the catalogue.")]
    if kind == Kind.CORRECTION and not message:
        errors["message"] = [_("Tell the creator what to correct.")]
    if len(message) > 2000:
        errors["message"] = [_("The message has at most 2,000 characters.")]
    if strike and kind != Kind.REJECT:
        errors["strike"] = [_("Only a rejection can come with a strike.")]
    if errors:
        raise ApplicationError(_("Nothing was decided; correct the fields marked below."), fields=errors)
    if bulk:
        review_claim(actor=actor, work=work)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        claim = ReviewClaim.objects.filter(work=work).first()
        if claim is None or claim.moderator_id != actor.pk:
            raise ApplicationError(_("Claim the work before deciding it."), code="not_claimed", status=409)
        if revision is not None and revision != work.revision:
            raise ApplicationError(
                _("The creator changed this work after you opened it; look at it again before deciding."),
                code="changed",
                status=409,
            )
        if kind == Kind.APPROVE:
            work = work_publish(actor=actor, work=work)
        decision = Decision.objects.create(
            work=work,
            revision=work.revision,
            kind=kind,
            reason_code=reason_code if kind == Kind.REJECT else "",
            message=message,
            decided_by=actor,
            bulk=bulk,
        )
        claim.delete()
        data = {"decision": decision.pk, "revision": work.revision, "bulk": bulk}
        if kind == Kind.APPROVE:
            audit_record(
                action="review.approve",
                actor=actor,
                target=work,
                target_label=work.title,
                reason=reason_code,
                data=data,
            )
        else:
            # The status check is the transition's: refused (409), the decision above is rolled back with it.
            transition = DECLINE if kind == Kind.REJECT else REQUEST_CHANGES
            work_transition(work=work, transition=transition, by=actor, reason=reason_code, data=data)
        notify(
            user=work.owner,
            template=NOTICES[kind],
            params={"title": work.title, "message": message},
            reason_code=decision.reason_code,
            link=f"/works/{work.pk}/",
        )
        if strike:
            strike_record(actor=actor, user=work.owner, reason_code=reason_code, decision=decision)
    return decision


def review_bulk(
    *,
    actor: User,
    works: Sequence[Work],
    kind: str,
    reason_code: str = "",
    message: str = "",
    strike: bool = False,
) -> tuple[list[Decision], list[tuple[Work, str]]]:
    """Decide a selection, each work in its own transaction and audited on its own. Returns the decisions
    made and the works skipped with why (held by someone else, changed state)."""
    if kind == Kind.CORRECTION:
        raise ApplicationError(_("Corrections are asked one work at a time, with a message for each."))
    done, skipped = [], []
    for work in works:
        try:
            done.append(
                review_decide(
                    actor=actor,
                    work=work,
                    kind=kind,
                    reason_code=reason_code,
                    message=message,
                    bulk=True,
                    strike=strike,
                )
            )
        except ApplicationError as exc:
            if exc.fields:
                raise
            skipped.append((work, str(exc.message)))
    return done, skipped


def _undo(*, actor: User, decision: Decision, work: Work, reason: str, extra: dict | None = None) -> str:
    """Undo a standing decision inside the caller's transaction (both rows locked), audited as
    ``review.reversed``. Returns the notice that tells the owner what became of the work."""
    data = {"decision": decision.pk, **(extra or {})}
    notice = "work_restored"
    if decision.kind == Kind.MASK:
        _set_mask(work, decision.masked_part, decision.masked_file, None)
        work.save()
        audit_record(
            action="review.reversed",
            actor=actor,
            target=work,
            target_label=work.title,
            reason=reason,
            data=data,
        )
    elif decision.kind == Kind.TAKEDOWN:
        work_transition(work=work, transition=RESTORE, by=actor, reason=reason, data=data)
    else:
        notice = "work_back_in_review"
        work_transition(work=work, transition=REOPEN, by=actor, reason=reason, data=data)
    decision.reversed_at, decision.reversed_by = timezone.now(), actor
    decision.save()
    return notice


def lock_decision(decision: Decision) -> tuple[Decision, Work]:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the masked_file outer join.
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("masked_file").get(pk=decision.pk)
    )
    return decision, Work.objects.select_for_update().get(pk=decision.work_id)


def decision_reverse(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Undo the latest decision on a work (a bulk one made by mistake, a measure no longer warranted): a review
    decision sends the work back to review, a takedown or mask is lifted, and the creator is told."""
    require_capability(actor, STAFF_CONSOLE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Say why the decision is undone."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        decision, work = lock_decision(decision)
        if not decision_stands(decision, work):
            raise ApplicationError(
                _(
                    "Only the latest decision of a work, while the work is still as it left it, can be undone."
                ),
                code="invalid_state",
                status=409,
            )
        notice = _undo(actor=actor, decision=decision, work=work, reason=reason)
        notify(user=work.owner, template=notice, params={"title": work.title}, link=f"/works/{work.pk}/")
    return decision


def _set_mask(work: Work, part: str, file: WorkFile | None, when) -> None:
    generation_bump("works")  # a masked title or cover leaves the cached cards in the same transaction
    if part == Decision.Part.TITLE:
        work.title_masked_at = when
    elif part == Decision.Part.DESCRIPTION:
        work.description_masked_at = when
    elif file is not None:
        WorkFile.objects.filter(pk=file.pk).update(masked_at=when)


def _content_action(
    *,
    actor: User,
    work: Work,
    kind: str,
    reason_code: str,
    message: str,
    strike: bool,
    part: str = "",
    file: WorkFile | None = None,
    statement: str = "",
    statement_params: Mapping[str, object] | None = None,
) -> Decision:
    """MOD-4: a decision on published content (a takedown, or a mask of ``part``), with a catalogue reason,
    told to the owner; optionally a strike on the owner's record (MOD-6). ``statement`` is what the platform
    says about it (statements.py), kept as a code so that each reader sees it in their language."""
    require_capability(actor, STAFF_CONSOLE)
    statement_check(statement)
    message = (message or "").replace("\x00", "").strip()
    errors: dict[str, list[str]] = {}
    if reason_code not in CONTENT_CODES:
        errors["reason_code"] = [_("Choose the reason from the catalogue.")]
    if len(message) > 2000:
        errors["message"] = [_("The message has at most 2,000 characters.")]
    if errors:
        raise ApplicationError(_("Nothing was changed; correct the fields marked below."), fields=errors)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        if work.status != Work.Status.PUBLISHED:
            raise ApplicationError(
                _("Only a published work can be taken down or masked."), code="invalid_state", status=409
            )
        decision = Decision.objects.create(
            work=work,
            revision=work.revision,
            kind=kind,
            reason_code=reason_code,
            message=message,
            statement=statement,
            statement_params=dict(statement_params or {}),
            decided_by=actor,
            masked_part=part,
            masked_file=file,
        )
        data = {"decision": decision.pk, "part": part, "file": decision.masked_file_id}
        if kind == Kind.TAKEDOWN:
            work_transition(work=work, transition=TAKE_DOWN, by=actor, reason=reason_code, data=data)
        else:
            _set_mask(work, part, file, timezone.now())
            work.save()
            audit_record(
                action=f"content.{kind}",
                actor=actor,
                target=work,
                target_label=work.title,
                reason=reason_code,
                data=data,
            )
        notify(
            user=work.owner,
            template=NOTICES[kind],
            params={"title": work.title, "message": message, **notice_params(statement, statement_params)},
            reason_code=reason_code,
            link=f"/works/{work.pk}/",
        )
        if strike:
            strike_record(actor=actor, user=work.owner, reason_code=reason_code, decision=decision)
    return decision


def content_take_down(
    *,
    actor: User,
    work: Work,
    reason_code: str,
    message: str = "",
    strike: bool = False,
    statement: str = "",
    statement_params: Mapping[str, object] | None = None,
) -> Decision:
    """MOD-4: the whole work leaves the public pages; its owner still sees it, with the reason."""
    return _content_action(
        actor=actor,
        work=work,
        kind=Kind.TAKEDOWN,
        reason_code=reason_code,
        message=message,
        strike=strike,
        statement=statement,
        statement_params=statement_params,
    )


def content_mask(
    *,
    actor: User,
    work: Work,
    part: str,
    file_id: int | None = None,
    reason_code: str,
    message: str = "",
    strike: bool = False,
    statement: str = "",
    statement_params: Mapping[str, object] | None = None,
) -> Decision:
    """MOD-4: hide the title, the description or one file from the public; the rest stays published."""
    if part not in Decision.Part.values:
        raise ApplicationError(
            _("Choose what to mask: the title, the description or one file."),
            fields={"part": [_("Required.")]},
        )
    file = None
    if part == Decision.Part.FILE:
        if file_id is not None:
            file = WorkFile.objects.filter(pk=file_id, work=work, status=WorkFile.Status.READY).first()
        if file is None:
            raise ApplicationError(
                _("Choose one of this work's files to mask."), fields={"file_id": [_("Required.")]}
            )
    return _content_action(
        actor=actor,
        work=work,
        kind=Kind.MASK,
        reason_code=reason_code,
        message=message,
        strike=strike,
        part=part,
        file=file,
        statement=statement,
        statement_params=statement_params,
    )
