from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool

from inspiracle.core.schemas import PatchIn


class RegistrationOut(Schema):
    legal_name: str
    mailing_address: str
    mobile: str
    landline: str
    email: str


class RegistrationPatch(PatchIn):
    legal_name: str = Field(None)
    mailing_address: str = Field(None)
    mobile: str = Field(None)
    landline: str = Field(None)
    email: str = Field(None)


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
    display_name: str = Field(None)
    bio: str = Field(None)
    location: str = Field(None)
    website: str = Field(None)
    show_bio: StrictBool = Field(None)
    show_location: StrictBool = Field(None)
    show_website: StrictBool = Field(None)
    show_joined: StrictBool = Field(None)


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
    created_at: datetime
    last_seen_at: datetime
    current: bool


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


class PasswordResetIn(Schema):
    email: str


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
