"""Accounts for staff through the API (UX-3): search and detail, roles, verification and certificates (REG-5),
sign-in locks (REG-4), protected names and registration information (MOD-7, MOD-8). Each endpoint checks its
capability in the service or access function it calls."""

from datetime import datetime
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from inspiracle.accounts import security
from inspiracle.accounts import services as account_services
from inspiracle.accounts.models import OrganizationCertificate, ProtectedName, User
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    NAMES_MANAGE,
    PII_READ,
    ROLES_MANAGE,
    SIGNIN_LOCKS_CLEAR,
    STAFF_CONSOLE,
    require_capability,
)
from inspiracle.accounts.schemas import RegistrationOut
from inspiracle.core.api import MAX_PAGE_SIZE, Page, Rows
from inspiracle.core.files import private_document_response
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.staff.selectors import (
    access_certificate_for_staff,
    access_user_for_staff,
    verification_queue_for_staff,
)
from inspiracle.staff.services import user_search

router = Router(tags=["staff"])


class RoleIn(Schema):
    role: Annotated[User.StaffRole, inline_choices(User.StaffRole)]
    reason: str


class VerifyIn(Schema):
    verified: StrictBool
    reason: str


class StaffUserOut(Schema):
    username: str
    staff_role: str
    verified: bool


class WaitingOut(Schema):
    certificate_id: int
    username: str
    display_name: str
    verified: bool
    uploaded_at: datetime
    content_type: str
    size: int


class CertificateDecisionIn(Schema):
    # Strict: "yes", 1 or "false" must not pass for a decision on someone's verification.
    accept: StrictBool
    reason: str = Field("", max_length=2000)


class CertificateOut(Schema):
    id: int
    username: str
    status: str
    uploaded_at: datetime
    accepted_at: datetime | None
    accepted_by: str | None
    refused_at: datetime | None
    refused_by: str | None
    refusal_reason: str
    verified: bool


class NameIn(Schema):
    name: str
    note: str = ""


class NameOut(Schema):
    id: int
    name: str
    note: str


def _staff_user(user: User) -> dict:
    return {"username": user.username, "staff_role": user.staff_role, "verified": user.is_verified}


@router.post("/users/{username}/role", response=StaffUserOut, url_name="staff-role")
def role(request, username: str, data: RoleIn):
    user = account_services.role_set(
        actor=request.user,
        user=access_user_for_staff(request.user, username, ROLES_MANAGE),
        role=data.role,
        reason=data.reason,
    )
    return _staff_user(user)


@router.post("/users/{username}/verification", response=StaffUserOut, url_name="staff-verify")
def verify(request, username: str, data: VerifyIn):
    user = account_services.account_verify(
        actor=request.user,
        user=access_user_for_staff(request.user, username, ACCOUNTS_VERIFY),
        verified=data.verified,
        reason=data.reason,
    )
    return _staff_user(user)


class SigninLocksOut(Schema):
    username: str
    blocked_networks: int = Field(description="networks the account is slowed down or locked for now")


class SigninLocksClearIn(Schema):
    reason: str = Field("", max_length=500)


class SigninLocksClearedOut(Schema):
    username: str
    cleared_networks: int


@router.get("/users/{username}/signin-locks", response=SigninLocksOut, url_name="staff-signin-locks")
def signin_locks(request, username: str):
    """REG-4: whether an account's sign-in is slowed down or locked, and from how many networks."""
    user = access_user_for_staff(request.user, username, SIGNIN_LOCKS_CLEAR)
    return {
        "username": user.username,
        "blocked_networks": security.signin_locks_count(actor=request.user, user=user),
    }


@router.post(
    "/users/{username}/signin-locks/clear",
    response=SigninLocksClearedOut,
    url_name="staff-signin-locks-clear",
)
def signin_locks_clear(request, username: str, data: SigninLocksClearIn):
    """REG-4: lift every sign-in slow-down and lockout of an account, from every network (audited)."""
    user = access_user_for_staff(request.user, username, SIGNIN_LOCKS_CLEAR)
    cleared = security.signin_locks_clear(actor=request.user, user=user, reason=data.reason)
    return {"username": user.username, "cleared_networks": cleared}


@router.get("/protected-names", response=list[NameOut], url_name="staff-names")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def names(request):
    """Protected names in alphabetical order, 100 a page."""
    require_capability(request.user, NAMES_MANAGE)
    return ProtectedName.objects.order_by("name")


@router.post("/protected-names", response={201: NameOut}, url_name="staff-names")
def name_add(request, data: NameIn):
    return Status(
        201, account_services.protected_name_add(actor=request.user, name=data.name, note=data.note)
    )


@router.delete("/protected-names/{name_id}", response={204: None}, url_name="staff-name")
def name_remove(request, name_id: Id):
    require_capability(request.user, NAMES_MANAGE)
    account_services.protected_name_remove(
        actor=request.user, protected=get_object_or_404(ProtectedName, pk=name_id)
    )
    return Status(204, None)


@router.get("/verification", response=list[WaitingOut], url_name="staff-verification")
@paginate(Page, page_size=MAX_PAGE_SIZE)
def verification(request):
    """REG-5: organizations whose newest certificate scan waits for review, the longest waiting first, 100 a
    page."""
    return Rows(verification_queue_for_staff(request.user), each=_waiting)


def _waiting(c: OrganizationCertificate) -> dict:
    return {
        "certificate_id": c.pk,
        "username": c.user.username,
        "display_name": c.user.profile.display_name,
        "verified": c.user.is_verified,
        "uploaded_at": c.uploaded_at,
        "content_type": c.content_type,
        "size": c.size,
    }


@router.get(
    "/users/{username}/certificates/{int:certificate_id}",
    response={200: None},
    url_name="staff-certificate",
)
def certificate_file(request, username: str, certificate_id: Id):
    """The decrypted scan as a download (legal officers, administrators; MOD-7). Audited (MOD-8)."""
    certificate = access_certificate_for_staff(request.user, username, certificate_id)
    data = account_services.certificate_open(actor=request.user, certificate=certificate)
    return private_document_response(
        data,
        content_type=certificate.content_type,
        stem=f"certificate-{certificate.user.username}-{certificate.pk}",
        inline=False,
    )


def _certificate(certificate: OrganizationCertificate) -> dict:
    return {
        "id": certificate.pk,
        "username": certificate.user.username,
        "status": certificate.status,
        "uploaded_at": certificate.uploaded_at,
        "accepted_at": certificate.accepted_at,
        "accepted_by": certificate.accepted_by.username if certificate.accepted_by else None,
        "refused_at": certificate.refused_at,
        "refused_by": certificate.refused_by.username if certificate.refused_by else None,
        "refusal_reason": certificate.refusal_reason,
        "verified": User.objects.filter(pk=certificate.user_id, verified_at__isnull=False).exists(),
    }


@router.post(
    "/users/{username}/certificates/{int:certificate_id}/decision",
    response=CertificateOut,
    url_name="staff-certificate-decision",
)
def certificate_decide(request, username: str, certificate_id: Id, data: CertificateDecisionIn):
    """REG-5, ACC-2: accept the organization's newest scan (verifies the account) or refuse it with a
    ``reason`` the organization reads. 409 when it is decided already or a newer scan replaced it."""
    certificate = access_certificate_for_staff(request.user, username, certificate_id)
    return _certificate(
        account_services.certificate_review(
            actor=request.user, certificate=certificate, accept=data.accept, reason=data.reason
        )
    )


@router.get("/users/{username}/registration", response=RegistrationOut, url_name="staff-registration")
def registration(request, username: str):
    """A user's registration information (legal officers, administrators; MOD-7). Audited (MOD-8)."""
    user = access_user_for_staff(request.user, username, PII_READ)
    return account_services.registration_open(actor=request.user, user=user)


# User search and detail ---------------------------------------------------------------------------------------


class UserRowOut(Schema):
    username: str
    display_name: str
    kind: str
    staff_role: str
    verified: bool
    date_joined: datetime


class UserDetailOut(UserRowOut):
    is_active: bool
    cancel_pending: bool


def _user_row(u: User) -> dict:
    return {
        "username": u.username,
        "display_name": u.profile.display_name if hasattr(u, "profile") else "",
        "kind": u.kind,
        "staff_role": u.staff_role,
        "verified": u.is_verified,
        "date_joined": u.date_joined,
    }


class UserSearchQuery(Schema):
    q: str = Field("", max_length=254, description="what to look for; empty lists the staff accounts")
    by: Literal["name", "email", "phone"] = Field(
        "name",
        description="``name``: part of the username or display name (any staff). ``email``, ``phone``: the "
        "exact e-mail address or mobile number, through their blind indexes (legal officers, administrators); "
        "such a search is audited without the value",
    )


@router.get("/users", response=list[UserRowOut], url_name="staff-users")
@paginate(Page, page_size=50)
def users(request, query: Query[UserSearchQuery]):
    """Find accounts (at most 50). Without ``q``, the staff accounts."""
    return Rows(user_search(request.user, query=query.q, by=query.by), each=_user_row)


@router.get("/users/{username}", response=UserDetailOut, url_name="staff-user")
def user_detail(request, username: str):
    """One account as the staff user page shows it (no personal information: see ``/registration``)."""
    user = access_user_for_staff(request.user, username, STAFF_CONSOLE)
    return {**_user_row(user), "is_active": user.is_active, "cancel_pending": user.cancel_pending}
