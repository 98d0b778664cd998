"""Agreements in the JSON API: public reading (AGR-2) and the signed-in user's consents (REG-2, AGR-4)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from inspiracle.agreements import selectors
from inspiracle.agreements.diff import text_diff
from inspiracle.agreements.models import Consent
from inspiracle.agreements.services import consent_reaccept
from inspiracle.core.api import Page, Rows
from inspiracle.core.schemas import Id

router = Router(tags=["agreements"])


class VersionOut(Schema):
    document: str
    title: str
    number: int
    label: str
    last_updated: date
    effective_date: date
    published_at: datetime
    requires_reacceptance: bool
    in_force: bool
    summary: str
    url: str


class DocumentVersionOut(VersionOut):
    """A row of one document's version history (a name of its own: each list's page schema is named after its
    rows, and two lists of ``VersionOut`` would give two schemas one name)."""


class VersionTextOut(VersionOut):
    text_markdown: str


class DiffLineOut(Schema):
    kind: str
    old_line: int | None
    new_line: int | None
    html: str


class DiffOut(Schema):
    document: str
    from_version: int
    to_version: int
    language: str
    lines: list[DiffLineOut]


class ConsentOut(Schema):
    document: str
    version: int
    method: str
    accepted_at: datetime
    ip: str
    user_agent: str
    age_attested: bool


class AcceptIn(Schema):
    accept: list[str]


def _version(v, in_force_ids: set[int]) -> dict:
    return {
        "document": v.document.slug,
        "title": v.document.title,
        "number": v.number,
        "label": v.label,
        "last_updated": v.last_updated,
        "effective_date": v.effective_date,
        "published_at": v.published_at,
        "requires_reacceptance": v.requires_reacceptance,
        "in_force": v.pk in in_force_ids,
        "summary": v.summary(),
        "url": f"/agreements/{v.document.slug}/v{v.number}/",
    }


def _consent(c: Consent) -> dict:
    return {
        "document": c.version.document.slug,
        "version": c.version.number,
        "method": c.method,
        "accepted_at": c.accepted_at,
        "ip": c.ip,
        "user_agent": c.user_agent,
        "age_attested": c.age_attested,
    }


@router.get("/agreements", auth=None, response=list[VersionOut], url_name="agreements")
@paginate(Page)
def agreements_in_force(request):
    """Every agreement in force today, with the label to send when accepting it."""
    in_force = selectors.versions_in_force()
    return Rows(in_force, each=lambda v: _version(v, {x.pk for x in in_force}))


@router.get(
    "/agreements/{slug}/versions", auth=None, response=list[DocumentVersionOut], url_name="agreement-versions"
)
@paginate(Page)
def agreement_versions(request, slug: str):
    """Every published version of a document, newest first, 30 a page."""
    selectors.document_get(slug)
    in_force = {v.pk for v in selectors.versions_in_force()}
    return Rows(selectors.version_list_for_public(slug), each=lambda v: _version(v, in_force))


@router.get(
    "/agreements/{slug}/versions/{number}", auth=None, response=VersionTextOut, url_name="agreement-version"
)
def agreement_version(request, slug: str, number: Id, lang: str = "zh-hans"):
    version = selectors.version_get(slug, number)
    in_force = {v.pk for v in selectors.versions_in_force()}
    return {
        **_version(version, in_force),
        "text_markdown": version.text(lang),
    }


@router.get("/agreements/{slug}/diff", auth=None, response=DiffOut, url_name="agreement-diff")
def agreement_diff(request, slug: str, from_version: Id, to_version: Id, lang: str = "zh-hans"):
    """The difference between any two versions, line by line with changed words marked (AGR-2)."""
    old, new = selectors.version_get(slug, from_version), selectors.version_get(slug, to_version)
    lines = text_diff(old.text(lang), new.text(lang))
    return {
        "document": slug,
        "from_version": from_version,
        "to_version": to_version,
        "language": "en" if lang == "en" else "zh-hans",
        "lines": [
            {"kind": x.kind, "old_line": x.old_no, "new_line": x.new_no, "html": str(x.html)} for x in lines
        ],
    }


@router.get("/me/consents", response=list[ConsentOut], url_name="me-consents")
@paginate(Page)
def my_consents(request):
    """Every consent this account gave, newest first, 30 a page: document, version, time, address and browser
    (REG-2)."""
    return Rows(selectors.consent_list_for_user(request.user), each=_consent)


@router.post("/me/consents", response={201: list[ConsentOut]}, url_name="me-consents")
def accept(request, data: AcceptIn):
    """Accept the versions you are asked to (AGR-4): send each label from ``missing_agreements`` of GET /me."""
    created = consent_reaccept(user=request.user, accepted=data.accept)
    return Status(201, [_consent(c) for c in created])
