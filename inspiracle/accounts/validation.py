"""Checks on what people type and upload at registration and in their profile."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from inspiracle.pipeline.documents import DOCUMENT_SIGNATURES
from inspiracle.pipeline.errors import FileRefused
from inspiracle.pipeline.sandbox import inspect_bytes_limited

DEFAULT_REGION = "CN"  # REG-5: China by default, any country with a leading +


def normalize_phone(raw: str, *, mobile: bool | None) -> str:
    """E.164 form of a phone number, or ValidationError saying what is wrong with it. ``mobile`` True wants a
    mobile, False a landline, None either."""
    raw = (raw or "").strip()
    example = "13812345678" if mobile else "010 6552 9988"
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _(
                "'%(raw)s' is not a phone number. Write it like %(example)s, or with a country code like "
                "+44 7700 900123."
            )
            % {"raw": raw, "example": example}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "'%(raw)s' is not a valid number for its country; check the digits (for China, e.g. %(example)s)."
            )
            % {"raw": raw, "example": example}
        )
    if mobile is None:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    allowed = (
        {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
        if mobile
        else {
            phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
            phonenumbers.PhoneNumberType.VOIP,
        }
    )
    if kind not in allowed:
        raise ValidationError(
            _("'%(raw)s' is not a mobile number; enter a mobile phone here.") % {"raw": raw}
            if mobile
            else _("'%(raw)s' is not a landline number; leave this empty or enter a landline.") % {"raw": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            _("'%(raw)s' is not an email address (like name@example.com).") % {"raw": value}
        ) from None
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def sniff_certificate(data: bytes) -> str:
    if not data:
        raise ValidationError(_("The certificate file is empty. Upload a PDF, JPEG or PNG scan."))
    if len(data) > settings.CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            _("The certificate file is larger than %(max).0f MB. Scan at a lower resolution.")
            % {"max": settings.CERTIFICATE_MAX_BYTES / 1e6}
        )
    for magic, content_type in DOCUMENT_SIGNATURES:
        if data.startswith(magic):
            if content_type != "application/pdf":
                check_document_image(
                    data, name=_("certificate scan"), max_bytes=settings.CERTIFICATE_MAX_BYTES
                )
            return content_type
    raise ValidationError(_("The certificate must be a PDF, JPEG or PNG file; this file is none of those."))


def check_document_image(data: bytes, *, name: str, max_bytes: int) -> None:
    """The image checks of the upload pipeline (type, structure, pixel and scan limits, hidden content, a
    decode of the first frame), run in a child process under CPU, memory and time limits, never in the web
    worker itself (issue 10: a progressive JPEG with 20,000 passes held the workers for minutes)."""
    try:
        inspect_bytes_limited(data, name=name, max_bytes=max_bytes)
    except FileRefused as refusal:
        raise ValidationError(refusal.message) from None
