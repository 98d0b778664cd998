"""Licensing through the API (UX-2): ask for a licence, negotiate, read the deal and the other party's contact
details (COM-1, COM-2, COM-6, PRV-4); the exclusive licences a work carries, for anyone; and for legal officers
and admins (LICENSING_OVERSEE) every deal, annulment, the register and the contact-disclosure log.

The same services and access functions as the pages: a request or deal the caller is not party to is "not
found" (PRV-3). Refusals carry their code: ``sanctioned`` (403, MOD-5, with ``ends_at``),
``organization_not_verified`` (403), ``licence_conflict`` (409, with ``conflicts``), ``proposal_changed`` (409).
"""

from typing import Literal

from ninja import Router, Status
from ninja.pagination import paginate

from inspiracle.accounts.api_auth import SessionTokenOrVisitor
from inspiracle.accounts.permissions import LICENSING_OVERSEE, require_capability
from inspiracle.agreements.selectors import local_today
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.schemas import Id
from inspiracle.licensing import selectors
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant, LicenceRequest
from inspiracle.licensing.permissions import (
    access_deal_for_party,
    access_deal_for_staff,
    access_request_for_party,
    moves_for,
)
from inspiracle.licensing.register import Conflict, grants_in_force
from inspiracle.licensing.schemas import (
    ContactCardOut,
    ContactDisclosureOut,
    DealAnnulIn,
    DealOut,
    DealRowOut,
    LicenceAcceptIn,
    LicenceDeclineIn,
    LicenceRequestIn,
    LicenceRequestOut,
    LicenceRequestRowOut,
    LicenceTermsIn,
    LicenceWithdrawIn,
    RegisterGrantOut,
    StaffContactDisclosureOut,
    StaffDealOut,
    StaffDealRowOut,
    WorkLicenceGrantOut,
)
from inspiracle.licensing.services.deals import contact_card_disclose, deal_annul, deal_path, request_accept
from inspiracle.licensing.services.requests import (
    request_counter,
    request_decline,
    request_path,
    request_send,
    request_withdraw,
)
from inspiracle.licensing.terms import terms_lines
from inspiracle.works.permissions import access_work_for_view

router = Router(tags=["licensing"])
PAGE = 30
TERMS = set(LicenceTermsIn.model_fields) - {"message"}


def _works(works) -> list[dict]:
    return [{"id": work.pk, "title": work.shown_title} for work in works]


def _lines(terms: dict) -> list[dict]:
    return [{"label": label, "value": value} for label, value in terms_lines(terms)]


def request_row(request, found: LicenceRequest) -> dict:
    fields = ("reference", "status", "created_at", "expires_at", "report_reference")
    return {
        **{name: getattr(found, name) for name in fields},
        "url": request.build_absolute_uri(request_path(found)),
        "status_label": found.get_status_display(),
        "requester": found.requester.username,
        "creator": found.creator.username,
        "works": _works(found.works.all()),
    }


def request_out(request, found: LicenceRequest) -> dict:
    views = selectors.proposal_views(found)
    fields = ("accepted_at", "declined_at", "decline_reason", "withdrawn_at", "withdraw_reason", "expired_at")
    return {
        **request_row(request, found),
        **{name: getattr(found, name) for name in fields},
        "deal": Deal.objects.filter(request=found).values_list("reference", flat=True).first(),
        "thread": found.thread_id,
        "proposals": [
            {
                "number": view.proposal.number,
                "author": view.proposal.author.username,
                "created_at": view.proposal.created_at,
                "message": view.proposal.message,
                "terms": view.proposal.terms,
                "lines": [{"label": label, "value": value} for label, value in view.lines],
                "changed": view.changed,
            }
            for view in views
        ],
        "moves": moves_for(request.user, found, views[-1].proposal),
    }


def deal_row(request, deal: Deal) -> dict:
    proposal = deal.proposal
    return {
        "reference": deal.reference,
        "url": request.build_absolute_uri(deal_path(deal)),
        "request": deal.request.reference,
        "licensor": deal.licensor.username,
        "licensee": deal.licensee.username,
        "works": _works(deal.works.all()),
        "kind": proposal.kind,
        "exclusive": proposal.exclusive,
        "starts_on": proposal.starts_on,
        "ends_on": proposal.ends_on,
        "accepted_at": deal.accepted_at,
        "annulled_at": deal.annulled_at,
    }


def _agreements(versions) -> list[dict]:
    return [{"document": v.document.slug, "number": v.number, "label": v.label} for v in versions]


def deal_out(request, deal: Deal) -> dict:
    terms = deal.proposal.terms
    return {
        **deal_row(request, deal),
        "proposal": deal.proposal.number,
        "terms": terms,
        "lines": _lines(terms),
        "accepted_by": deal.accepted_by.username,
        "licensor_agreements": _agreements(deal.licensor_agreements.select_related("document")),
        "licensee_agreements": _agreements(deal.licensee_agreements.select_related("document")),
        "grants": [
            {"work": grant.work_id, "granted_at": grant.granted_at, "revoked_at": grant.revoked_at}
            | {"exclusive": grant.exclusive, **grant.scope}
            for grant in deal.grants.order_by("work_id")
        ],
        "annul_reason": deal.annul_reason,
    }


def disclosure_out(disclosure: ContactDisclosure) -> dict:
    return {
        "deal": disclosure.deal.reference,
        "viewer": disclosure.viewer.username,
        "subject": disclosure.subject.username,
        "via": disclosure.via,
        "via_label": disclosure.get_via_display(),
        "at": disclosure.at,
    }


# --- Requests and proposals (COM-1, COM-2) ---------------------------------------------------------------


@router.post(
    "/licensing/requests",
    response={201: LicenceRequestOut, **error_responses(429)},
    url_name="licensing-requests-send",
)
def licence_request_send(request, data: LicenceRequestIn):
    """COM-1: ask the creator of published works for a licence on these terms. Refused with 400 naming each
    wrong field, 403 ``sanctioned`` (MOD-5: the measure and until when) or ``organization_not_verified``,
    409 ``licence_conflict`` with the grants in the way in ``conflicts``."""
    found = request_send(
        requester=request.user, work_ids=data.works, data=data.dict(include=TERMS), message=data.message
    )
    return Status(201, request_out(request, found))


@router.get("/licensing/requests", response=list[LicenceRequestRowOut], url_name="licensing-requests")
@paginate(Page, page_size=PAGE)
def licence_requests(request, box: Literal["sent", "received", "all"] = "all"):
    """Your requests: ``sent`` (you asked), ``received`` (about your works) or ``all``; open ones first, then
    newest first, 30 a page."""
    found = selectors.request_list_for_party(request.user, box=box)
    return Rows(found, each=lambda r: request_row(request, r))


@router.get("/licensing/requests/{reference}", response=LicenceRequestOut, url_name="licensing-request")
def licence_request(request, reference: str):
    """A request you are party to: every proposal with its terms and what changed, and what you may do next."""
    return request_out(request, access_request_for_party(request.user, reference))


@router.post(
    "/licensing/requests/{reference}/proposals",
    response={201: LicenceRequestOut, **error_responses(429)},
    url_name="licensing-request-counter",
)
def licence_request_propose(request, reference: str, data: LicenceTermsIn):
    """COM-2: answer the latest proposal with changed terms (a new version; the expiry starts again). 409
    ``not_your_turn``, ``request_closed`` or ``licence_conflict``."""
    found = access_request_for_party(request.user, reference)
    request_counter(request=found, by=request.user, data=data.dict(include=TERMS), message=data.message)
    return Status(201, request_out(request, access_request_for_party(request.user, reference)))


@router.post(
    "/licensing/requests/{reference}/accept",
    response={201: DealOut, **error_responses(429)},
    url_name="licensing-request-accept",
)
def licence_request_accept(request, reference: str, data: LicenceAcceptIn):
    """COM-2: accept proposal ``number``, the one you read; the deal is made (201). 409 ``proposal_changed``
    when a newer version came meanwhile, ``licence_conflict`` when another licence took the rights first."""
    found = access_request_for_party(request.user, reference)
    deal = request_accept(request=found, by=request.user, number=data.number)
    return Status(201, deal_out(request, access_deal_for_party(request.user, deal.reference)))


@router.post(
    "/licensing/requests/{reference}/decline",
    response=LicenceRequestOut,
    url_name="licensing-request-decline",
)
def licence_request_decline(request, reference: str, data: LicenceDeclineIn):
    """COM-2: decline the latest proposal, with a reason the other party reads; the request ends."""
    found = access_request_for_party(request.user, reference)
    request_decline(request=found, by=request.user, reason=data.reason)
    return request_out(request, access_request_for_party(request.user, reference))


@router.post(
    "/licensing/requests/{reference}/withdraw",
    response=LicenceRequestOut,
    url_name="licensing-request-withdraw",
)
def licence_request_withdraw(request, reference: str, data: LicenceWithdrawIn):
    """COM-2: either party steps back before acceptance (allowed under a participation restriction)."""
    found = access_request_for_party(request.user, reference)
    request_withdraw(request=found, by=request.user, reason=data.reason)
    return request_out(request, access_request_for_party(request.user, reference))


# --- Deals and contact details (COM-2, PRV-4) ------------------------------------------------------------


@router.get("/licensing/deals", response=list[DealRowOut], url_name="licensing-deals")
@paginate(Page, page_size=PAGE)
def deals(request):
    """Your deals, as licensor or licensee, newest first, 30 a page."""
    deals = selectors.deal_list_for_party(request.user).select_related("request")
    return Rows(deals, each=lambda deal: deal_row(request, deal))


@router.get("/licensing/deals/{reference}", response=DealOut, url_name="licensing-deal")
def deal(request, reference: str):
    """A deal you are party to: the accepted terms, works, parties, the agreement versions each side had
    accepted, the grants in the register, and whether it was annulled (and why)."""
    return deal_out(request, access_deal_for_party(request.user, reference))


@router.get(
    "/licensing/deals/{reference}/contact",
    response={200: ContactCardOut, **error_responses(409)},
    url_name="licensing-deal-contact",
)
def deal_contact(request, reference: str):
    """PRV-4: the other party's name, address, phone and email, for a deal that stands (409 ``deal_annulled``
    otherwise). Every call is logged and shown to that party in their contact-disclosure list."""
    deal = access_deal_for_party(request.user, reference)
    return contact_card_disclose(deal=deal, viewer=request.user, via=ContactDisclosure.Via.API)


@router.get(
    "/licensing/contact-disclosures", response=list[ContactDisclosureOut], url_name="licensing-disclosures"
)
@paginate(Page, page_size=PAGE)
def disclosures(request):
    """PRV-4: who saw your contact details, when, through which deal and how; newest first, 30 a page."""
    rows = selectors.disclosure_list_for_subject(request.user).select_related("subject")
    return Rows(rows, each=disclosure_out)


@router.get(
    "/works/{int:work_id}/licence-grants",
    response=list[WorkLicenceGrantOut],
    auth=SessionTokenOrVisitor(),
    url_name="work-licence-grants",
)
@paginate(Page, page_size=PAGE)
def work_licence_grants(request, work_id: Id):
    """COM-6: the exclusive licences on a work that have not ended (holder, scope, term; never fees), so that
    a request does not ask for rights already taken. Anyone may read it for a published work."""
    work = access_work_for_view(request.user, work_id)
    grants = grants_in_force([work.pk], on_or_after=local_today()).filter(exclusive=True)
    return Rows(grants.order_by("starts_on", "pk"), each=lambda grant: Conflict(grant).public())


# --- Staff: every deal, annulment, the register, the disclosure log (LICENSING_OVERSEE) ----------------------


@router.get("/staff/licensing/deals", response=list[StaffDealRowOut], url_name="staff-licensing-deals")
@paginate(Page, page_size=PAGE)
def staff_deals(request, state: Literal["all", "standing", "annulled"] = "all"):
    """Every deal, newest first, 30 a page; ``standing`` or ``annulled`` ones only."""
    require_capability(request.user, LICENSING_OVERSEE)
    return Rows(selectors.deal_list_for_staff(state=state), each=lambda deal: deal_row(request, deal))


@router.get("/staff/licensing/deals/{reference}", response=StaffDealOut, url_name="staff-licensing-deal")
def staff_deal(request, reference: str):
    """A deal as its parties see it, and who annulled it."""
    deal = access_deal_for_staff(request.user, reference)
    return {**deal_out(request, deal), "annulled_by": _username(deal.annulled_by)}


@router.post(
    "/staff/licensing/deals/{reference}/annul", response=StaffDealOut, url_name="staff-licensing-deal-annul"
)
def staff_deal_annul(request, reference: str, data: DealAnnulIn):
    """Annul a deal (fraud, a court order, a mistake): its grants are revoked, an exclusive mark it held is
    lifted, both parties read the reason. 409 ``deal_annulled`` when it already is."""
    deal_annul(deal=access_deal_for_staff(request.user, reference), by=request.user, reason=data.reason)
    deal = access_deal_for_staff(request.user, reference)
    return {**deal_out(request, deal), "annulled_by": _username(deal.annulled_by)}


@router.get("/staff/licensing/register", response=list[RegisterGrantOut], url_name="staff-licensing-register")
@paginate(Page, page_size=PAGE)
def staff_register(request, work: Id | None = None, exclusive: bool = False):
    """COM-6: the register of grants, newest first, 30 a page; of one ``work``, or ``exclusive`` ones only."""
    require_capability(request.user, LICENSING_OVERSEE)
    grants = selectors.register_list(work_id=work, exclusive_only=exclusive)
    return Rows(grants, each=_grant)


@router.get(
    "/staff/licensing/disclosures",
    response=list[StaffContactDisclosureOut],
    url_name="staff-licensing-disclosures",
)
@paginate(Page, page_size=PAGE)
def staff_disclosures(request):
    """PRV-4: every showing of a party's contact details, newest first, 30 a page."""
    require_capability(request.user, LICENSING_OVERSEE)
    return Rows(selectors.disclosure_list_for_staff(), each=disclosure_out)


def _username(user) -> str | None:
    return user.username if user is not None else None


def _grant(grant: Grant) -> dict:
    return {
        "id": grant.pk,
        "deal": grant.deal.reference,
        "work": grant.work_id,
        "work_title": grant.work.title,
        "licensee": grant.licensee.username,
        "exclusive": grant.exclusive,
        "granted_at": grant.granted_at,
        "revoked_at": grant.revoked_at,
        **grant.scope,
    }
