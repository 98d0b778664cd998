"""Proving an e-mail address without an account: a six-digit code mailed through the outbox, checked at most
``attempts`` times within ``code_minutes``, then a signed pass valid ``pass_hours``.

Reporters (RPT-1) and visitors asking to repost (WRK-12) prove addresses this way, each with a table of its own
(apps above accounts): the rules live here once. The code exists in clear only in the outbox payload, which is
encrypted; the table keeps a digest bound to the address's blind index.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.services import email_index
from inspiracle.accounts.validation import normalize_email
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError
from inspiracle.outbox.services import outbox_email


@dataclass(frozen=True)
class EmailCodes:
    """One app's codes. ``model`` has the fields email_index, code_digest, created_at, attempts, verified_at."""

    model: type[models.Model]
    scope: str  # the rate limits' scope
    salt: str  # the signed pass's
    outbox_kind: str  # the outbox e-mail that carries the code
    per_address_hour: int
    per_network_hour: int
    pass_hours: int = 24
    code_minutes: int = 30
    attempts: int = 5

    def start(self, *, email: str, **fields: Any) -> models.Model:
        """Mail a code to ``email``; ``fields`` go on the new row."""
        email = _email(email)
        index = email_index(email)
        ratelimit.hit(
            *ratelimit.email_code_limits(
                scope=self.scope,
                index=index,
                per_address=self.per_address_hour,
                per_network=self.per_network_hour,
            )
        )
        code = f"{secrets.randbelow(10**6):06d}"
        with transaction.atomic():
            row = self.model._default_manager.create(
                email_index=index, code_digest=_digest(f"{index}:{code}"), **fields
            )
            language = translation.get_language() or settings.LANGUAGE_CODE
            # Written with the row: "a code was sent" holds even while the broker is down.
            outbox_email(kind=self.outbox_kind, payload={"email": email, "code": code, "language": language})
        return row

    def confirm(self, *, email: str, code: str) -> str:
        """Check the code; returns a pass that stands for the proven address for ``pass_hours``."""
        email = _email(email)
        index = email_index(email)
        wrong = ApplicationError(
            _("That code is wrong or has expired. Check the latest email, or ask for a new code."),
            fields={"code": [_("Wrong or expired code.")]},
        )
        with transaction.atomic():
            # Why the lock: parallel guesses must each count against ``attempts``.
            row = (
                self.model._default_manager.select_for_update()
                .filter(
                    email_index=index, created_at__gte=timezone.now() - timedelta(minutes=self.code_minutes)
                )
                .order_by("-created_at")
                .first()
            )
            if row is None or row.attempts >= self.attempts:  # type: ignore[attr-defined]
                raise wrong
            matches = secrets.compare_digest(row.code_digest, _digest(f"{index}:{(code or '').strip()}"))  # type: ignore[attr-defined]
            # A wrong guess is counted and committed: raising inside this block would roll the count back.
            row.attempts += 0 if matches else 1  # type: ignore[attr-defined]
            row.verified_at = timezone.now() if matches else None  # type: ignore[attr-defined]
            row.save(update_fields=["attempts", "verified_at"])
        if not matches:
            raise wrong
        return signing.dumps({"email": email}, salt=self.salt)

    def email_from_pass(self, token: str) -> str:
        """The address a pass stands for; 401 ``email_unverified`` for a missing, forged or expired pass."""
        try:
            return signing.loads(token or "", salt=self.salt, max_age=self.pass_hours * 3600)["email"]
        except (signing.BadSignature, KeyError, TypeError):
            raise ApplicationError(
                _("Prove your email address first (we send you a code), or sign in."),
                code="email_unverified",
                status=401,
            ) from None


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
