from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import StrictBool

from inspiracle.core.schemas import PatchIn, left_out


class RegistrationOut(Schema):
    legal_name: str
    mailing_address: str
    mobile: str
    landline: str
    email: str


class RegistrationPatch(PatchIn):
    legal_name: str = left_out()
    mailing_address: str = left_out()
    mobile: str = left_out()
    landline: str = left_out()
    email: str = left_out()


class CertificateStateOut(Schema):
    id: int
    status: str
    uploaded_at: datetime
    refusal_reason: str


class VerificationOut(Schema):
    verified: bool
    verified_at: datetime | None
    certificate: CertificateStateOut | None = None


class PublicProfileOut(Schema):
    username: str
    display_name: str
    verified: bool
    kind: str
    bio: str | None = None
    location: str | None = None
    website: str | None = None
    avatar_url: str | None = None
    joined: datetime | None = None


class MyProfileOut(Schema):
    display_name: str
    bio: str
    location: str
    website: str
    avatar_url: str | None
    show_bio: bool
    show_location: bool
    show_website: bool
    show_joined: bool


class ProfilePatch(PatchIn):
    display_name: str = left_out()
    bio: str = left_out()
    location: str = left_out()
    website: str = left_out()
    show_bio: StrictBool = left_out()
    show_location: StrictBool = left_out()
    show_website: StrictBool = left_out()
    show_joined: StrictBool = left_out()


class MeOut(Schema):
    username: str
    kind: str
    staff_role: str
    verified: bool
    language: str
    two_factor: bool
    may_upload: bool
    missing_agreements: list[str]


class TokenIn(Schema):
    username: str
    password: str
    name: str
    otp: str | None = None
    scopes: list[str] = ["read", "write"]
    expires_in_days: int | None = None


class NewTokenIn(Schema):
    password: str
    name: str
    scopes: list[str] = ["read", "write"]
    expires_in_days: int | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


class TokenCreatedOut(TokenOut):
    token: str


class SessionOut(Schema):
    id: str
    ip: str
    user_agent: str
    browser: str  # "Chrome 120 on Windows": the user agent as the sessions page shows it
    created_at: datetime
    last_seen_at: datetime
    current: bool


class SessionsSignedOutOut(Schema):
    count: int
    message: str


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


class PasswordResetIn(Schema):
    email: str


class EmailConfirmIn(Schema):
    token: str


class PasswordResetConfirmIn(Schema):
    uid: str
    token: str
    new_password: str


class TotpBeginOut(Schema):
    secret: str
    otpauth_uri: str


class CodeIn(Schema):
    code: str


class TotpDisableIn(Schema):
    password: str
    code: str


class RecoveryCodesOut(Schema):
    recovery_codes: list[str]


class MessageOut(Schema):
    message: str


class LanguageOut(Schema):
    language: Literal["zh-hans", "en"]
    choices: list[str]


class LanguageIn(Schema):
    language: Literal["zh-hans", "en"]
