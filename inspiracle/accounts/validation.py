"""Checks on what people type and upload at registration and in their profile."""

import io

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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


# Certificate scans: what a scanner or phone produces. Checked by content, never by file name.
DOCUMENT_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


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
                open_image(data, what=_("certificate scan"))
            return content_type
    raise ValidationError(_("The certificate must be a PDF, JPEG or PNG file; this file is none of those."))


def open_image(data: bytes, *, what: str) -> Image.Image:
    """Decode an image safely: refuse pixel bombs before decoding, and broken files with a reason."""
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > settings.IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("The %(what)s is %(w)d x %(h)d pixels; the limit is %(max)d megapixels.")
                % {"what": what, "w": width, "h": height, "max": settings.IMAGE_MAX_PIXELS // 1_000_000}
            )
        if width == 0 or height == 0:
            raise ValidationError(_("The %(what)s has no pixels.") % {"what": what})
        image.load()
        return image
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The %(what)s could not be read as an image; it may be damaged. Try another file.")
            % {"what": what}
        ) from None
