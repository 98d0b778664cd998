"""Accepting a proposal into a deal, annulling it, and what a deal shares (COM-2, COM-3, COM-6, PRV-4)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import LICENSING_OVERSEE, require_capability
from inspiracle.agreements.models import Consent, Version
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.references import new_reference
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant, LicenceRequest
from inspiracle.licensing.register import lock_works, refuse_conflicts
from inspiracle.licensing.services.common import count_answer, require_participation
from inspiracle.licensing.services.requests import latest_proposal, lock_open, require_turn
from inspiracle.notifications.services import notify
from inspiracle.works.marks import work_exclusive_lift, work_exclusive_mark
from inspiracle.works.models import Work


def deal_path(deal: Deal) -> str:
    return reverse("licensing_deals:detail", args=[deal.reference])


def agreements_accepted(user: User) -> list[Version]:
    """The newest version of each document the user has accepted: what they had agreed to at this moment."""
    newest: dict[int, Version] = {}
    for consent in Consent.objects.filter(user=user).select_related("version"):
        version = consent.version
        if version.document_id not in newest or version.number > newest[version.document_id].number:
            newest[version.document_id] = version
    return list(newest.values())


def local_start(day) -> datetime:
    """The first moment of a day on the platform's calendar (Beijing): terms are agreed in whole days."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def request_accept(*, request: LicenceRequest, by: User, number: int, now: datetime | None = None) -> Deal:
    """COM-2: accept proposal ``number`` (the one the accepting party read: a newer proposal is not accepted
    unseen). Makes the deal, its grants in the register and, for an exclusive licence, the WRK-6 mark."""
    now = now or timezone.now()
    require_participation(by)
    with transaction.atomic():
        request = lock_open(request)
        proposal = latest_proposal(request)
        if proposal.number != number:
            raise ApplicationError(
                _(
                    "The terms changed while you were reading: version %(number)s is the latest. Read it before you "
                    "accept."
                )
                % {"number": proposal.number},
                code="proposal_changed",
                status=409,
            )
        require_turn(request, by, proposal)
        if proposal.ends_on < timezone.localdate(now):
            raise ApplicationError(
                _("The term of this proposal has already ended; propose a new term instead."),
                code="term_over",
                status=409,
            )
        # Why the lock: two creators' acceptances of overlapping exclusive terms both read a free register
        # otherwise; with the works locked the second one waits, then sees the first grant (COM-6).
        works = lock_works(request.works.values_list("pk", flat=True))
        gone = [work for work in works if work.status in (Work.Status.TAKEN_DOWN, Work.Status.DELETED)]
        if gone:
            raise ApplicationError(
                _("“%(title)s” was taken down or deleted since the request was sent; it cannot be licensed.")
                % {"title": gone[0].title},
                code="work_unavailable",
                status=409,
            )
        refuse_conflicts(work_ids=[w.pk for w in works], scope=proposal.terms, exclusive=proposal.exclusive)
        count_answer(by)
        request.status = LicenceRequest.Status.ACCEPTED
        request.accepted_at, request.accepted_by = now, by
        request.full_clean()
        request.save()
        # Who grants: the creator asked for a licence; but a rights holder's offer instead of a takedown runs the
        # other way (RPT-15): the rights holder grants the uploader the use of their rights in these works.
        licensor, licensee = request.creator, request.requester
        if request.report_reference:
            licensor, licensee = licensee, licensor
        deal = Deal(
            reference=new_reference(Deal, "D-"),
            request=request,
            proposal=proposal,
            licensor=licensor,
            licensee=licensee,
            accepted_at=now,
            accepted_by=by,
        )
        deal.full_clean()
        deal.save()
        deal.works.set(works)
        deal.licensor_agreements.set(agreements_accepted(licensor))
        deal.licensee_agreements.set(agreements_accepted(licensee))
        Grant.objects.bulk_create(
            Grant(
                deal=deal,
                work=work,
                licensee=licensee,
                exclusive=proposal.exclusive,
                product_categories=proposal.product_categories,
                territories=proposal.territories,
                channels=proposal.channels,
                starts_on=proposal.starts_on,
                ends_on=proposal.ends_on,
                granted_at=now,
            )
            for work in works
        )
        audit_record(
            action="licensing.deal_made",
            actor=by,
            target=deal,
            target_label=deal.reference,
            data={"request": request.reference, "proposal": proposal.number, "works": [w.pk for w in works]},
        )
        # PRV-4: from now on each party may see the other's contact details; the sharing itself is logged.
        for subject, viewer in ((deal.licensor, deal.licensee), (deal.licensee, deal.licensor)):
            _disclosure_record(
                deal=deal, subject=subject, viewer=viewer, via=ContactDisclosure.Via.DEAL_MADE, now=now
            )
        for party in (deal.licensor, deal.licensee):
            notify(
                user=party,
                template="licence_deal_made",
                params={
                    "deal": deal.reference,
                    "reference": request.reference,
                    "party": deal.other_party(party).username,
                },
                link=deal_path(deal),
            )
        if proposal.exclusive and proposal.starts_on <= timezone.localdate(now):
            for work in works:
                _mark(work, deal)
    return deal


def _mark(work: Work, deal: Deal) -> None:
    proposal = deal.proposal
    work_exclusive_mark(
        work=work,
        since=max(local_start(proposal.starts_on), deal.accepted_at),
        until=local_start(proposal.ends_on + timedelta(days=1)),
        reason=deal.reference,
    )


def deal_annul(*, deal: Deal, by: User, reason: str, now: datetime | None = None) -> Deal:
    """A legal officer annuls a deal (fraud, a court order, a mistake): its grants are revoked, an exclusive
    mark it held is lifted, both parties are told. The deal itself stays on record."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Give the reason; both parties read it."), fields={"reason": [_("This field is required.")]}
        )
    with transaction.atomic():
        deal = Deal.objects.select_for_update().get(pk=deal.pk)
        if deal.is_annulled:
            raise ApplicationError(_("This deal is already annulled."), code="deal_annulled", status=409)
        deal.annulled_at, deal.annulled_by, deal.annul_reason = now, by, reason[:4000]
        deal.full_clean()
        deal.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
        for grant in deal.grants.filter(revoked_at__isnull=True):
            grant.revoked_at = now
            grant.save(update_fields=["revoked_at"])
        audit_record(
            action="licensing.deal_annulled",
            actor=by,
            target=deal,
            target_label=deal.reference,
            reason=reason,
        )
        for party in (deal.licensor, deal.licensee):
            notify(
                user=party,
                template="licence_deal_annulled",
                params={"deal": deal.reference, "message": reason[:4000]},
                link=deal_path(deal),
            )
        exclusive_marks_sync(now=now, work_ids=list(deal.works.values_list("pk", flat=True)))
    return deal


@dataclass(frozen=True)
class ContactCard:
    """A party's contact details as registered (REG-5), decrypted for the other party of a deal."""

    username: str
    name: str
    mailing_address: str
    phone: str
    email: str


def _disclosure_record(
    *,
    deal: Deal,
    subject: User,
    viewer: User,
    via: str,
    now: datetime,
    action: str = "licensing.contact_disclosed",
) -> None:
    ContactDisclosure.objects.create(deal=deal, subject=subject, viewer=viewer, via=via, at=now)
    audit_record(
        action=action,
        actor=viewer,
        target=subject,
        target_label=subject.username,
        data={"deal": deal.reference, "via": via},
    )


def contact_card_disclose(*, deal: Deal, viewer: User, via: str, now: datetime | None = None) -> ContactCard:
    """PRV-4: the other party's contact details, shown to a party of a deal that stands; every showing is
    written to the audit log and to the subject's "who saw my contact details" list."""
    if deal.is_annulled:
        raise ApplicationError(
            _("This deal was annulled; contact details are no longer shared."),
            code="deal_annulled",
            status=409,
        )
    subject = deal.other_party(viewer)
    with transaction.atomic():
        _disclosure_record(deal=deal, subject=subject, viewer=viewer, via=via, now=now or timezone.now())
    return contact_card(subject)


def contact_card(user: User) -> ContactCard:
    """A user's contact details as registered; shown as such only to the user (their half of a printed deal)."""
    registration = user.registration
    return ContactCard(
        username=user.username,
        name=registration.legal_name,
        mailing_address=registration.mailing_address,
        phone=registration.mobile or registration.landline,
        email=registration.email,
    )


def contact_cards_disclose_to_staff(
    *, deal: Deal, viewer: User, now: datetime | None = None
) -> tuple[ContactCard, ContactCard]:
    """PRV-4, MOD-8: both parties' contact details (licensor's, licensee's) for a legal officer or an
    administrator overseeing a deal, annulled or not. Each showing is on the parties' "who saw my contact
    details" lists, with the staff member as viewer, and in the audit log as a reading of personal information."""
    require_capability(viewer, LICENSING_OVERSEE)
    now = now or timezone.now()
    with transaction.atomic():
        for subject in (deal.licensor, deal.licensee):
            _disclosure_record(
                deal=deal,
                subject=subject,
                viewer=viewer,
                via=ContactDisclosure.Via.STAFF,
                now=now,
                action="pii.viewed",
            )
    return contact_card(deal.licensor), contact_card(deal.licensee)


def exclusive_marks_sync(*, now: datetime | None = None, work_ids: list[int] | None = None) -> int:
    """COM-3: each work carries the exclusive mark exactly while an exclusive grant on it is in its term.
    Run by beat every few minutes (a term that starts or ends) and after an annulment; idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    active = Grant.objects.filter(
        exclusive=True, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    ).select_related("deal__proposal")
    marked = Work.objects.filter(exclusive_since__isnull=False)
    if work_ids is not None:
        active, marked = active.filter(work_id__in=work_ids), marked.filter(pk__in=work_ids)
    changed = 0
    holding: dict[int, Grant] = {}
    for grant in active:
        holding.setdefault(grant.work_id, grant)
    for work in Work.objects.filter(pk__in=list(holding)).exclude(
        pk__in=marked.filter(exclusive_until__gt=now)
    ):
        _mark(work, holding[work.pk].deal)
        changed += 1
    for work in marked.exclude(pk__in=list(holding)):
        with transaction.atomic():
            ended = work.exclusive_until is not None and work.exclusive_until <= now
            work_exclusive_lift(work=work, reason="term ended" if ended else "grant revoked")
            notify(
                user=work.owner,
                template="licence_exclusive_ended",
                params={"title": work.title},
                link=f"/works/{work.pk}/",
            )
        changed += 1
    return changed
