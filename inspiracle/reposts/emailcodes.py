"""A visitor proves an e-mail address before asking to repost (WRK-12): a six-digit code mailed through the
outbox, checked at most CODE_ATTEMPTS times, then a signed pass valid PASS_HOURS. The pattern of reports'
EmailProof (RPT-1), with a table and limits of our own: reports sits above reposts and imports it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.services import email_index
from inspiracle.accounts.validation import normalize_email
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError
from inspiracle.outbox.services import outbox_email
from inspiracle.reposts.models import RepostEmailCode

SALT = "reposts.email-pass"
PASS_HOURS = 24
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
CODES_PER_ADDRESS_HOUR = 5
CODES_PER_NETWORK_HOUR = 20


def _email(raw: str) -> str:
    try:
        email = normalize_email(raw)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={"email": exc.messages}) from None
    if not email:
        raise ApplicationError(_("Give your email address."), fields={"email": [_("Required.")]})
    return email


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def repost_email_start(*, email: str) -> RepostEmailCode:
    """Mail a six-digit code to ``email``."""
    email = _email(email)
    index = email_index(email)
    ratelimit.hit(
        *ratelimit.email_code_limits(
            scope="reposts",
            index=index,
            per_address=CODES_PER_ADDRESS_HOUR,
            per_network=CODES_PER_NETWORK_HOUR,
        )
    )
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = RepostEmailCode.objects.create(email_index=index, code_digest=_digest(f"{index}:{code}"))
        language = translation.get_language() or settings.LANGUAGE_CODE
        # The code exists nowhere else in clear: the outbox payload (encrypted) carries it with the address.
        outbox_email(kind="reposts.code", payload={"email": email, "code": code, "language": language})
    return row


def repost_email_confirm(*, email: str, code: str) -> str:
    """Check the code; returns a pass (valid PASS_HOURS) to ask under this address."""
    email = _email(email)
    index = email_index(email)
    wrong = ApplicationError(
        _("That code is wrong or has expired. Check the latest email, or ask for a new code."),
        fields={"code": [_("Wrong or expired code.")]},
    )
    with transaction.atomic():
        # Why the lock: parallel guesses must each count against CODE_ATTEMPTS.
        row = (
            RepostEmailCode.objects.select_for_update()
            .filter(email_index=index, created_at__gte=timezone.now() - timedelta(minutes=CODE_MINUTES))
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= CODE_ATTEMPTS:
            raise wrong
        matches = secrets.compare_digest(row.code_digest, _digest(f"{index}:{(code or '').strip()}"))
        # A wrong guess is counted and committed; raising inside this block would roll the count back.
        row.attempts += 0 if matches else 1
        row.verified_at = timezone.now() if matches else None
        row.save(update_fields=["attempts", "verified_at"])
    if not matches:
        raise wrong
    return signing.dumps({"email": email}, salt=SALT)


def email_from_pass(token: str) -> str:
    try:
        return signing.loads(token or "", salt=SALT, max_age=PASS_HOURS * 3600)["email"]
    except (signing.BadSignature, KeyError, TypeError):
        raise ApplicationError(
            _("Prove your email address first (we send you a code), or sign in."),
            code="email_unverified",
            status=401,
        ) from None
