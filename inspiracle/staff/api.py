"""The staff console in the JSON API (UX-3). Each endpoint checks its capability in the service it calls."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from inspiracle.accounts import services as account_services
from inspiracle.accounts.models import ProtectedName, User
from inspiracle.accounts.permissions import NAMES_MANAGE, require_capability
from inspiracle.agreements.selectors import document_get
from inspiracle.agreements.services import version_publish
from inspiracle.staff.selectors import audit_list_for_staff

router = Router(tags=["staff"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    ip: str
    user_agent: str
    reason: str
    data: dict
    hash: str


class PublishIn(Schema):
    text_zh: str
    text_en: str
    effective_date: date
    requires_reacceptance: bool = False
    summary_zh: str = ""
    summary_en: str = ""


class PublishedOut(Schema):
    document: str
    number: int
    effective_date: date
    requires_reacceptance: bool


class RoleIn(Schema):
    role: User.StaffRole
    reason: str


class VerifyIn(Schema):
    verified: bool
    reason: str


class StaffUserOut(Schema):
    username: str
    staff_role: str
    verified: bool


class NameIn(Schema):
    name: str
    note: str = ""


class NameOut(Schema):
    id: int
    name: str
    note: str


@router.get("/audit", response=list[AuditEventOut], url_name="staff-audit")
def audit(request, action: str = "", actor: str = "", limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    return list(audit_list_for_staff(request.user, action=action, actor=actor)[offset : offset + limit])


@router.post("/agreements/{slug}/versions", response={201: PublishedOut}, url_name="staff-publish")
def publish(request, slug: str, data: PublishIn):
    version = version_publish(actor=request.user, document=document_get(slug), **data.dict())
    return Status(
        201,
        {
            "document": slug,
            "number": version.number,
            "effective_date": version.effective_date,
            "requires_reacceptance": version.requires_reacceptance,
        },
    )


def _user(username: str) -> User:
    return get_object_or_404(User, username=username.lower())


@router.post("/users/{username}/role", response=StaffUserOut, url_name="staff-role")
def role(request, username: str, data: RoleIn):
    user = account_services.role_set(
        actor=request.user, user=_user(username), role=data.role, reason=data.reason
    )
    return {"username": user.username, "staff_role": user.staff_role, "verified": user.is_verified}


@router.post("/users/{username}/verification", response=StaffUserOut, url_name="staff-verify")
def verify(request, username: str, data: VerifyIn):
    user = account_services.account_verify(
        actor=request.user, user=_user(username), verified=data.verified, reason=data.reason
    )
    return {"username": user.username, "staff_role": user.staff_role, "verified": user.is_verified}


@router.get("/protected-names", response=list[NameOut], url_name="staff-names")
def names(request):
    require_capability(request.user, NAMES_MANAGE)
    return list(ProtectedName.objects.order_by("name"))


@router.post("/protected-names", response={201: NameOut}, url_name="staff-names")
def name_add(request, data: NameIn):
    return Status(
        201, account_services.protected_name_add(actor=request.user, name=data.name, note=data.note)
    )


@router.delete("/protected-names/{name_id}", response={204: None}, url_name="staff-name")
def name_remove(request, name_id: int):
    require_capability(request.user, NAMES_MANAGE)
    account_services.protected_name_remove(
        actor=request.user, protected=get_object_or_404(ProtectedName, pk=name_id)
    )
    return Status(204, None)
