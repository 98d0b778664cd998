"""Sending a licensing request and negotiating it (COM-1, COM-2, COM-6, MOD-5)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspiracle.accounts.models import User
from inspiracle.agreements.selectors import local_today
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.references import new_reference
from inspiracle.licensing.models import LicenceRequest, Proposal
from inspiracle.licensing.register import refuse_conflicts
from inspiracle.licensing.services.common import (
    count_answer,
    count_request,
    expiry_from,
    require_may_request,
    require_participation,
)
from inspiracle.licensing.terms import Kind, Terms, terms_parse
from inspiracle.messaging.models import Thread
from inspiracle.messaging.services.threads import TOPIC_LIMIT, thread_start
from inspiracle.notifications.services import notify
from inspiracle.works.models import Work


def terms_require(data: dict[str, Any]) -> Terms:
    """The terms, or an ApplicationError naming each field that is wrong and how to put it right."""
    terms, errors = terms_parse(data, today=local_today())
    if terms is None:
        raise ApplicationError(_("Some terms need correcting; see the fields marked."), fields=errors)
    return terms


def works_titles(works: Sequence[Work]) -> str:
    return "、".join(f"“{work.shown_title}”" for work in works)


def _works_for_request(requester: User, work_ids: Sequence[int], *, from_report: bool) -> list[Work]:
    ids = sorted({int(pk) for pk in work_ids})
    if not ids:
        raise ApplicationError(
            _("Choose at least one work."), fields={"works": [_("Choose at least one work.")]}
        )
    if len(ids) > settings.LICENSING_MAX_WORKS:
        message = ngettext(
            "One request covers at most %(n)d work.",
            "One request covers at most %(n)d works.",
            settings.LICENSING_MAX_WORKS,
        ) % {"n": settings.LICENSING_MAX_WORKS}
        raise ApplicationError(message, fields={"works": [message]})
    works = list(Work.objects.filter(pk__in=ids, status=Work.Status.PUBLISHED).select_related("owner"))
    if len(works) != len(ids):
        message = _("Only published works can be licensed; one of these is not (or no longer) published.")
        raise ApplicationError(message, fields={"works": [message]}, code="work_not_published")
    if len({work.owner_id for work in works}) > 1:
        message = _("One request covers works of one creator; send a request to each creator.")
        raise ApplicationError(message, fields={"works": [message]})
    if works[0].owner_id == requester.pk:
        raise ApplicationError(
            _("These are your own works."), fields={"works": [_("These are your own works.")]}
        )
    closed = [work for work in works if not work.open_to_licensing]
    if closed and not from_report:
        message = _(
            "The creator does not accept licensing requests for %(works)s. Remove it from the request, or send "
            "the creator a message first."
        ) % {"works": works_titles(closed)}
        raise ApplicationError(message, fields={"works": [message]}, code="closed_to_licensing")
    return works


def _proposal_add(
    *, request: LicenceRequest, author: User, terms: Terms, message: str, number: int, now: datetime
):
    proposal = Proposal(
        request=request,
        number=number,
        author=author,
        created_at=now,
        message=message.strip(),
        **terms.as_fields(),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def request_send(
    *,
    requester: User,
    work_ids: Sequence[int],
    data: dict[str, Any],
    message: str = "",
    report_reference: str = "",
    now: datetime | None = None,
) -> LicenceRequest:
    """COM-1: ask the creator of published works for a licence on the given terms. Refused with a reason when
    the requester may not ask, a work is closed to licensing, or the terms overlap an exclusive grant (COM-6).
    ``report_reference``: RPT-15, a rights holder's licence offered instead of a takedown (sent by reports)."""
    now = now or timezone.now()
    if not report_reference:  # a rights holder offering a licence was already checked by a legal officer
        require_may_request(requester)
    require_participation(requester)
    terms = terms_require(data)
    with transaction.atomic():
        works = _works_for_request(requester, work_ids, from_report=bool(report_reference))
        refuse_conflicts(work_ids=[w.pk for w in works], scope=terms.as_fields(), exclusive=terms.exclusive)
        if not report_reference:  # an officer's decision is not held up by the rights holder's daily limit
            count_request(requester)
        request = LicenceRequest(
            reference=new_reference(LicenceRequest, "L-"),
            requester=requester,
            creator=works[0].owner,
            created_at=now,
            expires_at=expiry_from(now),
            report_reference=report_reference,
        )
        request.thread = thread_start(
            kind=Thread.Kind.REQUEST,
            first=requester,
            second=works[0].owner,
            topic=f"{request.reference} · {works[0].title}"[:TOPIC_LIMIT],
            topic_path=request_path(request),
            now=now,
        )
        request.full_clean()
        request.save()
        request.works.set(works)
        _proposal_add(request=request, author=requester, terms=terms, message=message, number=1, now=now)
        audit_record(
            action="licensing.request_sent",
            actor=requester,
            target=request,
            target_label=request.reference,
            data={"works": [w.pk for w in works], "kind": terms.kind, "report": report_reference},
        )
        notify(
            user=request.creator,
            template="licence_request_from_report" if report_reference else "licence_request_received",
            params={
                "reference": request.reference,
                "party": requester.username,
                "works": works_titles(works),
                "kind": Kind(terms.kind).label,
                "until": request.expires_at,
                "report": report_reference,
            },
            link=request_path(request),
        )
    return request


def request_path(request: LicenceRequest) -> str:
    return reverse("licensing:request", args=[request.reference])


def lock_open(request: LicenceRequest) -> LicenceRequest:
    locked = LicenceRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise ApplicationError(
            _("This request is %(status)s; nothing more can be proposed or answered in it.")
            % {"status": locked.get_status_display().lower()},
            code="request_closed",
            status=409,
        )
    return locked


def latest_proposal(request: LicenceRequest) -> Proposal:
    return request.proposals.order_by("-number").first()  # type: ignore[return-value]


def require_turn(request: LicenceRequest, user: User, current: Proposal) -> None:
    """The party who did not write the latest proposal answers it (accept, decline or propose anew)."""
    if current.author_id == user.pk:
        raise ApplicationError(
            _("The latest proposal is yours; wait for %(party)s to answer it, or withdraw the request.")
            % {"party": request.other_party(user).username},
            code="not_your_turn",
            status=409,
        )


def request_counter(
    *, request: LicenceRequest, by: User, data: dict[str, Any], message: str = "", now: datetime | None = None
) -> Proposal:
    """COM-2: propose changed terms. Every proposal is a new immutable version; the expiry starts again."""
    now = now or timezone.now()
    require_participation(by)
    terms = terms_require(data)
    with transaction.atomic():
        request = lock_open(request)
        current = latest_proposal(request)
        require_turn(request, by, current)
        refuse_conflicts(
            work_ids=request.works.values_list("pk", flat=True),
            scope=terms.as_fields(),
            exclusive=terms.exclusive,
        )
        count_answer(by)
        proposal = _proposal_add(
            request=request, author=by, terms=terms, message=message, number=current.number + 1, now=now
        )
        request.expires_at = expiry_from(now)
        request.save(update_fields=["expires_at"])
        audit_record(
            action="licensing.proposal_made",
            actor=by,
            target=request,
            target_label=request.reference,
            data={"number": proposal.number},
        )
        notify(
            user=request.other_party(by),
            template="licence_proposal_received",
            params={
                "reference": request.reference,
                "party": by.username,
                "number": str(proposal.number),
                "until": request.expires_at,
            },
            link=request_path(request),
        )
    return proposal


def request_decline(
    *, request: LicenceRequest, by: User, reason: str, now: datetime | None = None
) -> LicenceRequest:
    """COM-2: the party whose turn it is declines, with a reason the other party reads."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why you decline; the other party reads it."),
            fields={"reason": [_("This field is required.")]},
        )
    require_participation(by)
    with transaction.atomic():
        request = lock_open(request)
        require_turn(request, by, latest_proposal(request))
        request.status = LicenceRequest.Status.DECLINED
        request.declined_at, request.declined_by, request.decline_reason = now, by, reason[:2000]
        request.full_clean()
        request.save()
        audit_record(
            action="licensing.request_declined",
            actor=by,
            target=request,
            target_label=request.reference,
            reason=reason[:2000],
        )
        notify(
            user=request.other_party(by),
            template="licence_request_declined",
            params={"reference": request.reference, "party": by.username, "message": reason[:2000]},
            link=request_path(request),
        )
    return request


def request_withdraw(
    *, request: LicenceRequest, by: User, reason: str = "", now: datetime | None = None
) -> LicenceRequest:
    """COM-2: either side withdraws before acceptance. Allowed under a participation restriction: stepping
    back from a negotiation is not taking part in one."""
    now = now or timezone.now()
    with transaction.atomic():
        request = lock_open(request)
        request.status = LicenceRequest.Status.WITHDRAWN
        request.withdrawn_at, request.withdrawn_by = now, by
        request.withdraw_reason = (reason or "").strip()[:2000]
        request.full_clean()
        request.save()
        audit_record(
            action="licensing.request_withdrawn",
            actor=by,
            target=request,
            target_label=request.reference,
            reason=request.withdraw_reason,
        )
        notify(
            user=request.other_party(by),
            template="licence_request_withdrawn",
            params={"reference": request.reference, "party": by.username, "message": request.withdraw_reason},
            link=request_path(request),
        )
    return request


def requests_expire(*, now: datetime | None = None) -> int:
    """COM-2: requests nobody answered in time expire; both parties are told. Run by beat; idempotent."""
    now = now or timezone.now()
    expired = 0
    for pk in LicenceRequest.objects.filter(
        status=LicenceRequest.Status.OPEN, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            request = LicenceRequest.objects.select_for_update().get(pk=pk)
            if not request.is_open or request.expires_at > now:
                continue  # answered or prolonged since the list was read
            request.status = LicenceRequest.Status.EXPIRED
            request.expired_at = now
            request.full_clean()
            request.save()
            audit_record(action="licensing.request_expired", target=request, target_label=request.reference)
            for party in (request.requester, request.creator):
                notify(
                    user=party,
                    template="licence_request_expired",
                    params={"reference": request.reference},
                    link=request_path(request),
                )
            expired += 1
    return expired
