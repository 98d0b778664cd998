"""The shapes of licensing in the JSON API (UX-2): what a request, a proposal, a deal and a grant look like.

Terms come in loosely typed on purpose (codes and dates as text, amounts as numbers or text): ``terms_parse``
checks them and answers 400 naming each field with what to do ("Choose from: cn, hk, ..."), the same
messages as the web form. The documented enums and formats tell a client what is expected.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db import models
from ninja import Field, Schema
from pydantic import WithJsonSchema

from inspiracle.core.schemas import Id
from inspiracle.licensing.terms import ALL, DIMENSIONS, FeeModel, Kind

AMOUNT_HELP = "CNY (a royalty in %), a number or decimal text with at most two decimals"


def _code(choices: type[models.TextChoices]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": list(choices.values)})


def _codes(choices: type[models.TextChoices]) -> WithJsonSchema:
    return WithJsonSchema({"type": "array", "items": {"type": "string", "enum": [*choices.values, ALL]}})


DATE_TEXT = WithJsonSchema({"type": "string", "format": "date"})


class LicenceTermsIn(Schema):
    kind: Annotated[str, _code(Kind)] = Field(description="ip_licence, co_branding, production or exclusive")
    intended_use: str = Field(description="What the work would be used for (up to 2000 characters)")
    product_categories: Annotated[list[str], _codes(DIMENSIONS["product_categories"])] = Field(
        max_length=100, description='Codes, or ["all"]'
    )
    territories: Annotated[list[str], _codes(DIMENSIONS["territories"])] = Field(
        max_length=100, description='Codes, or ["all"]'
    )
    channels: Annotated[list[str], _codes(DIMENSIONS["channels"])] = Field(
        max_length=100, description='Codes, or ["all"]'
    )
    starts_on: Annotated[str, DATE_TEXT] = Field(description="YYYY-MM-DD, today or later (Beijing time)")
    ends_on: Annotated[str, DATE_TEXT] = Field(description="YYYY-MM-DD, on or after starts_on")
    fee_model: Annotated[str, _code(FeeModel)] = Field(
        description="flat (needs flat_fee), royalty (royalty_percent) or guarantee_royalty (both "
        "minimum_guarantee and royalty_percent)"
    )
    flat_fee: Decimal | None = Field(None, description=AMOUNT_HELP)
    royalty_percent: Decimal | None = Field(None, description=AMOUNT_HELP)
    minimum_guarantee: Decimal | None = Field(None, description=AMOUNT_HELP)
    message: str = Field("", max_length=4000, description="To the other party, with the proposal")


class LicenceRequestIn(LicenceTermsIn):
    works: list[Id] = Field(max_length=1000, description="Ids of published works of one creator")


class LicenceAcceptIn(Schema):
    number: int = Field(ge=1, le=32767, description="The proposal version you read and accept (the latest)")


class LicenceDeclineIn(Schema):
    reason: str = Field(max_length=2000, description="Why; the other party reads it")


class LicenceWithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


class DealAnnulIn(Schema):
    reason: str = Field(max_length=4000, description="Why; both parties read it")


class LicensedWorkOut(Schema):
    id: int
    title: str


class LicenceTermsOut(Schema):
    kind: str
    intended_use: str
    product_categories: list[str]
    territories: list[str]
    channels: list[str]
    starts_on: date
    ends_on: date
    fee_model: str
    flat_fee: Decimal | None
    royalty_percent: Decimal | None
    minimum_guarantee: Decimal | None


class LicenceTermLineOut(Schema):
    label: str
    value: str


class LicenceProposalOut(Schema):
    number: int
    author: str
    created_at: datetime
    message: str
    terms: LicenceTermsOut
    lines: list[LicenceTermLineOut] = Field(
        description="The terms as labelled lines, in the request's language"
    )
    changed: list[str] = Field(description="Labels of the terms that changed since the previous version")


class LicenceMovesOut(Schema):
    accept: bool
    counter: bool
    decline: bool
    withdraw: bool


class LicenceRequestRowOut(Schema):
    reference: str
    url: str
    status: Literal["open", "accepted", "declined", "withdrawn", "expired"]
    status_label: str
    requester: str
    creator: str
    works: list[LicensedWorkOut]
    created_at: datetime
    expires_at: datetime
    report_reference: str = Field(description="RPT-15: the report this licence was offered instead of")


class LicenceRequestOut(LicenceRequestRowOut):
    accepted_at: datetime | None
    declined_at: datetime | None
    decline_reason: str
    withdrawn_at: datetime | None
    withdraw_reason: str
    expired_at: datetime | None
    deal: str | None = Field(description="The deal's reference once a proposal was accepted")
    thread: int | None = Field(
        description="The parties' message thread (GET /api/threads/{id}, POST /api/threads/{id}/messages)"
    )
    proposals: list[LicenceProposalOut]
    moves: LicenceMovesOut = Field(description="What you may do next")


class DealAgreementOut(Schema):
    document: str
    number: int
    label: str


class DealGrantOut(Schema):
    work: int
    exclusive: bool
    product_categories: list[str]
    territories: list[str]
    channels: list[str]
    starts_on: date
    ends_on: date
    granted_at: datetime
    revoked_at: datetime | None


class DealRowOut(Schema):
    reference: str
    url: str = Field(description="The deal's page, for its parties")
    request: str
    licensor: str
    licensee: str
    works: list[LicensedWorkOut]
    kind: str
    exclusive: bool
    starts_on: date
    ends_on: date
    accepted_at: datetime
    annulled_at: datetime | None


class StaffDealRowOut(DealRowOut):
    """A row of the staff's list of every deal: as its parties see it, under a name of its own (each list's
    page schema is named after its rows)."""


class DealOut(DealRowOut):
    proposal: int
    terms: LicenceTermsOut
    lines: list[LicenceTermLineOut]
    accepted_by: str
    licensor_agreements: list[DealAgreementOut]
    licensee_agreements: list[DealAgreementOut]
    grants: list[DealGrantOut]
    annul_reason: str


class StaffDealOut(DealOut):
    annulled_by: str | None


class ContactCardOut(Schema):
    username: str
    name: str
    mailing_address: str
    phone: str
    email: str


class ContactDisclosureOut(Schema):
    deal: str
    viewer: str
    via: str
    via_label: str
    at: datetime


class StaffContactDisclosureOut(ContactDisclosureOut):
    subject: str


class WorkLicenceGrantOut(Schema):
    """A grant as anyone may see it: who holds what, where and when; never the fee or the intended use."""

    deal: str
    work: int
    work_title: str
    holder: str
    exclusive: bool
    product_categories: str
    territories: str
    channels: str
    starts_on: date
    ends_on: date


class RegisterGrantOut(Schema):
    id: int
    deal: str
    work: int
    work_title: str
    licensee: str
    exclusive: bool
    product_categories: list[str]
    territories: list[str]
    channels: list[str]
    starts_on: date
    ends_on: date
    granted_at: datetime
    revoked_at: datetime | None
