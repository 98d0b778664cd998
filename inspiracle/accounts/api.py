"""Accounts in the JSON API: registration, tokens, the signed-in user's own data, public profiles."""

from typing import Annotated, overload

from django.conf import settings
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from inspiracle.accounts import security, services, tokens
from inspiracle.accounts.models import ApiToken, User
from inspiracle.accounts.password_reset import password_reset_confirm, password_reset_request
from inspiracle.accounts.schemas import (
    CodeIn,
    EmailConfirmIn,
    LanguageIn,
    LanguageOut,
    MeOut,
    MessageOut,
    MyProfileOut,
    NewTokenIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    ProfilePatch,
    PublicProfileOut,
    RecoveryCodesOut,
    RegistrationOut,
    RegistrationPatch,
    SessionOut,
    SessionsSignedOutOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    TotpBeginOut,
    TotpDisableIn,
    VerificationOut,
)
from inspiracle.accounts.selectors import (
    profile_get_public,
    profile_public_fields,
    session_list_for_user,
    token_list_for_user,
)
from inspiracle.agreements.selectors import gate_status
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.errors import ApplicationError, PermissionDenied
from inspiracle.core.schemas import Id, inline_choices
from inspiracle.core.useragents import agent_parse
from inspiracle.standing import blocked_pass_for

router = Router(tags=["accounts"])


class RegisterForm(Schema):
    username: str
    password: str
    kind: Annotated[User.Kind, inline_choices(User.Kind)] = User.Kind.PERSON
    legal_name: str
    mailing_address: str
    mobile: str
    landline: str = ""
    email: str = ""
    accept: list[str] = []
    age_attested: bool = False


@overload
def _read_upload(upload: UploadedFile, limit: int) -> bytes: ...
@overload
def _read_upload(upload: None, limit: int) -> None: ...
def _read_upload(upload: UploadedFile | None, limit: int) -> bytes | None:
    if upload is None:
        return None
    # Read one byte past the limit: enough to refuse an oversized file without holding all of it.
    return upload.read(limit + 1)


# ``certificate`` may be left out, yet is typed without None: django-ninja would take "File[UploadedFile] | None"
# for a query parameter and the form for urlencoded (checked against the OpenAPI document).
@router.post(
    "/auth/register", auth=None, response={201: MeOut, **error_responses(429)}, url_name="auth-register"
)
def register(request, data: Form[RegisterForm], certificate: File[UploadedFile] = None):  # type: ignore[assignment]
    """Register (REG-1, REG-5): multipart form. ``accept`` is repeated once per agreement in force, as
    ``slug@version`` (see GET /api/agreements); ``age_attested=true`` confirms being 18 or older."""
    user = services.user_register(
        data=services.RegistrationData(
            username=data.username,
            password=data.password,
            kind=data.kind,
            legal_name=data.legal_name,
            mailing_address=data.mailing_address,
            mobile=data.mobile,
            landline=data.landline,
            email=data.email,
            language=(get_language() or "zh-hans").lower(),
        ),
        accepted=data.accept,
        age_attested=data.age_attested,
        certificate=_read_upload(certificate, settings.CERTIFICATE_MAX_BYTES),
    )
    return Status(201, _me(user))


@router.post(
    "/auth/tokens",
    auth=None,
    response={201: TokenCreatedOut, **error_responses(401, 429)},
    url_name="auth-tokens",
)
def token_from_password(request, data: TokenIn):
    """Create a personal access token with username and password (and the TOTP code if 2FA is on).
    ``scopes``: ``read`` (safe methods), ``write`` (your own changes; includes read), ``staff`` (the staff
    endpoints; staff accounts only); ``expires_in_days`` defaults to the platform's term (see the token).
    An account under a measure that stops signing in gets 403 ``sanctioned`` with an ``appeal_pass``, once
    its password (and code) were right: the ``X-Appeal-Pass`` of /api/appeal-pass, to read and appeal it."""
    try:
        user = security.check_password_signin(request, username=data.username, password=data.password)
        method = "password"
        if security.totp_enabled(user):
            if not data.otp:
                raise ApplicationError(
                    _("This account uses two-factor sign-in: send the current code as 'otp'."),
                    fields={"otp": [_("Required.")]},
                    status=401,
                    code="otp_required",
                )
            method = security.totp_signin_check(user=user, code=data.otp)
    except ApplicationError as exc:
        if exc.code == "sanctioned":  # MOD-6: as the sign-in page leads to the appeal page
            exc.extra["appeal_pass"] = blocked_pass_for(exc.extra["sanction"])
        raise
    security.signin_completed(user, method=f"api-{method}")
    token, raw = tokens.token_issue(
        user=user, name=data.name, scopes=data.scopes, expires_in_days=data.expires_in_days
    )
    return Status(201, {**_token(token), "token": raw})


@router.post(
    "/auth/password-reset",
    auth=None,
    response={200: MessageOut, **error_responses(429)},
    url_name="auth-password-reset",
)
def password_reset(request, data: PasswordResetIn):
    password_reset_request(email=data.email)
    return {"message": _("If an account has this email address, a reset link is on its way.")}


@router.post(
    "/auth/password-reset/confirm", auth=None, response=MessageOut, url_name="auth-password-reset-confirm"
)
def password_reset_done(request, data: PasswordResetConfirmIn):
    password_reset_confirm(uidb64=data.uid, token=data.token, new_password=data.new_password)
    return {"message": _("Your password is changed. Sign in with the new one.")}


@router.post("/auth/email/confirm", auth=None, response=MessageOut, url_name="auth-email-confirm")
def email_confirm(request, data: EmailConfirmIn):
    """Confirm a new email address: ``token`` is the last part of the link mailed to it
    (``/accounts/email/confirm/<token>/``). The address is then added to the account."""
    services.email_confirm(token=data.token)
    return {"message": _("Your email address is confirmed and added to your account.")}


def _me(user: User) -> dict:
    status = gate_status(user)
    return {
        "username": user.username,
        "kind": user.kind,
        "staff_role": user.staff_role,
        "verified": user.is_verified,
        "language": user.language,
        "two_factor": security.totp_enabled(user),
        "may_upload": status.ok,
        "missing_agreements": [v.label for v in status.missing],
    }


@router.get("/me", response=MeOut, url_name="me")
def me(request):
    return _me(request.user)


def _language(user: User) -> dict:
    return {"language": user.language, "choices": [code for code, _name in settings.LANGUAGES]}


@router.get("/me/language", response=LanguageOut, url_name="me-language")
def language_get(request):
    """The account's language: of its e-mails and notices, and of the site's pages once signed in."""
    return _language(request.user)


@router.patch("/me/language", response=LanguageOut, url_name="me-language")
def language_patch(request, data: LanguageIn):
    """Change the account's language (what the site's language switch does for a signed-in user); audited."""
    services.language_set(user=request.user, language=data.language)
    return _language(request.user)


@router.get("/me/registration", response=RegistrationOut, url_name="me-registration")
def registration_get(request):
    return request.user.registration


@router.patch("/me/registration", response=RegistrationOut, url_name="me-registration")
def registration_patch(request, data: RegistrationPatch):
    """Correct registration information (REG-6); allowed at any time, agreements accepted or not. A new
    email address is saved when the link mailed to it is opened; changes of the mobile number are limited."""
    return services.registration_update(user=request.user, changes=data.dict(exclude_unset=True))


def _my_profile(user: User) -> dict:
    profile = user.profile
    return {
        **{f: getattr(profile, f) for f in services.PROFILE_FIELDS},
        "avatar_url": profile.avatar.url if profile.avatar else None,
    }


@router.get("/me/profile", response=MyProfileOut, url_name="me-profile")
def profile_get(request):
    return _my_profile(request.user)


@router.patch("/me/profile", response=MyProfileOut, url_name="me-profile")
def profile_patch(request, data: ProfilePatch):
    services.profile_update(user=request.user, changes=data.dict(exclude_unset=True))
    return _my_profile(request.user)


@router.post("/me/avatar", response=MyProfileOut, url_name="me-avatar")
def avatar_put(request, avatar: File[UploadedFile]):
    services.avatar_set(user=request.user, data=_read_upload(avatar, settings.AVATAR_MAX_BYTES))
    return _my_profile(request.user)


@router.delete("/me/avatar", response=MyProfileOut, url_name="me-avatar")
def avatar_delete(request):
    services.avatar_set(user=request.user, data=None)
    return _my_profile(request.user)


@router.post("/me/certificate", response={201: MessageOut}, url_name="me-certificate")
def certificate_post(request, certificate: File[UploadedFile]):
    """REG-5: an organization uploads a (new) scan of its registration certificate; staff review it."""
    services.certificate_add(
        user=request.user, data=_read_upload(certificate, settings.CERTIFICATE_MAX_BYTES)
    )
    return Status(201, {"message": _("The certificate is stored; staff will verify it.")})


@router.get("/me/verification", response=VerificationOut, url_name="me-verification")
def verification(request):
    """Where the account's verification stands (REG-5, ACC-2): the badge, and for an organization its newest
    certificate scan: ``pending``, ``accepted``, or ``refused`` with the staff's reason."""
    user = request.user
    return {
        "verified": user.is_verified,
        "verified_at": user.verified_at,
        "certificate": user.certificates.newest() if user.is_organization else None,
    }


@router.post("/me/password", response=MessageOut, url_name="me-password")
def password_change(request, data: PasswordChangeIn):
    security.password_change(
        user=request.user,
        current=data.current_password,
        new=data.new_password,
        keep_session_key=request.session.session_key,
    )
    return {"message": _("Your password is changed; your other sessions are signed out.")}


@router.get("/me/sessions", response=list[SessionOut], url_name="me-sessions")
@paginate(Page)
def sessions(request):
    """Your signed-in sessions, 30 a page; ``current`` is the one making this request."""
    current = request.session.session_key
    return Rows(session_list_for_user(request.user), each=lambda s: _session(s, current))


def _session(s, current: str | None) -> dict:
    return {
        "id": s.ref,
        "ip": s.ip,
        "user_agent": s.user_agent,
        "browser": agent_parse(s.user_agent).label() if s.user_agent else "",
        "created_at": s.created_at,
        "last_seen_at": s.last_seen_at,
        "current": s.session_key == current,
    }


@router.post(
    "/me/sessions/sign-out-others", response=SessionsSignedOutOut, url_name="me-sessions-sign-out-others"
)
def sessions_sign_out_others(request):
    """Sign out every other session of your account ("Sign out all other sessions"). The browser session
    making the request stays signed in; a request with a token signs out every browser session."""
    count = security.sessions_revoke_others(user=request.user, current_key=request.session.session_key or "")
    message = ngettext("Signed out %(count)d other session.", "Signed out %(count)d other sessions.", count)
    return {"count": count, "message": message % {"count": count}}


@router.delete("/me/sessions/{ref}", response={204: None}, url_name="me-session")
def session_delete(request, ref: str):
    security.session_revoke(user=request.user, ref=ref)
    return Status(204, None)


def _token(token: ApiToken) -> dict:
    fields = ("id", "name", "prefix", "created_at", "last_used_at", "expires_at")
    return {**{field: getattr(token, field) for field in fields}, "scopes": token.scope_list}


@router.get("/me/tokens", response=list[TokenOut], url_name="me-tokens")
@paginate(Page)
def token_list(request):
    """Your tokens that are not revoked, with their scopes and when each expires; 30 a page."""
    return Rows(token_list_for_user(request.user), each=_token)


@router.post("/me/tokens", response={201: TokenCreatedOut}, url_name="me-tokens")
def token_post(request, data: NewTokenIn):
    """A new token from a signed-in browser session, confirmed with your password. A token cannot make
    tokens (so a stolen one cannot make more): use POST /api/auth/tokens with your password instead."""
    if request.api_token is not None:
        raise PermissionDenied(
            _("A token cannot make tokens. Use POST /api/auth/tokens with your username and password."),
            code="token_cannot_create_tokens",
        )
    token, raw = tokens.token_create(
        user=request.user,
        password=data.password,
        name=data.name,
        scopes=data.scopes,
        expires_in_days=data.expires_in_days,
    )
    return Status(201, {**_token(token), "token": raw})


@router.delete("/me/tokens/{token_id}", response={204: None}, url_name="me-token")
def token_delete(request, token_id: Id):
    tokens.token_revoke(user=request.user, token_id=token_id)
    return Status(204, None)


@router.post("/me/totp", response={201: TotpBeginOut}, url_name="me-totp")
def totp_begin(request):
    """Start two-factor set-up: add the secret to an authenticator app, then confirm with a code."""
    device, uri = security.totp_begin(user=request.user)
    return Status(201, {"secret": device.secret, "otpauth_uri": uri})


@router.post("/me/totp/confirm", response=RecoveryCodesOut, url_name="me-totp-confirm")
def totp_confirm(request, data: CodeIn):
    """Turn two-factor sign-in on. The recovery codes are shown only this once."""
    return {"recovery_codes": security.totp_confirm(user=request.user, code=data.code)}


@router.post("/me/totp/disable", response=MessageOut, url_name="me-totp")
def totp_disable(request, data: TotpDisableIn):
    security.totp_disable(user=request.user, password=data.password, code=data.code)
    return {"message": _("Two-factor sign-in is off.")}


@router.get("/profiles/{username}", auth=None, response=PublicProfileOut, url_name="profile")
def profile_public(request, username: str):
    """A public profile: only what its owner chose to show (PRV-6)."""
    return profile_public_fields(profile_get_public(username))
